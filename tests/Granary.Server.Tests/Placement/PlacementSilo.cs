using System.Net;
using System.Net.Sockets;
using Granary.Cluster.DataPlane;
using Granary.Cluster.Placement;
using Granary.Cluster.Serving;
using Granary.Cluster.Training;
using Granary.Storage.Blobs;
using Granary.Storage.Chunks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Server.Tests.Placement;

/// <summary>
/// A bare Orleans silo in this process with what the real <c>DatasetShardGrain</c> needs and shard placement;
/// several of them, sharing a blob folder, form one cluster over localhost (development) clustering.
/// </summary>
public sealed class PlacementSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private PlacementSilo(IHost host) => _host = host;

    public SiloAddress Address => _host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public string NodeId => SiloOwners.NodeId(Address);

    public IPEndPoint Endpoint => Address.Endpoint;

    public ShardRegistry Registry => _host.Services.GetRequiredService<ShardRegistry>();

    public ChunkCache Chunks => _host.Services.GetRequiredService<ChunkCache>();

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Silos this one sees as active.</summary>
    public IReadOnlySet<SiloAddress> ActiveSilos() =>
        _host.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();

    /// <summary>Silos whose grain manifests this one has: placement chooses among these.</summary>
    public IReadOnlySet<SiloAddress> ManifestSilos() =>
        _host.Services.GetRequiredService<IClusterManifestProvider>().Current.Silos.Keys.ToHashSet();

    /// <summary>Starts a silo; the first of a cluster passes <paramref name="primary"/> null.</summary>
    public static async Task<PlacementSilo> StartAsync(string clusterId, string blobsRoot, PlacementSilo? primary)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton<IBlobStore>(new FolderBlobStore(blobsRoot));
        services.AddSingleton(sp => new ChunkCache(sp.GetRequiredService<IBlobStore>(), 1L << 30));
        services.AddSingleton(new EncodedChunkCache(1L << 26));
        services.AddSingleton<PredictorCache>();
        services.AddSingleton(new ComputeGate(2));
        var port = FreeLoopbackPort();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: port, gatewayPort: 0, primarySiloEndpoint: primary?.Endpoint ?? new IPEndPoint(IPAddress.Loopback, port), serviceId: "granary-placement-tests", clusterId: clusterId)
            .AddShardPlacement());
        var host = builder.Build();
        await host.StartAsync();
        return new PlacementSilo(host);
    }

    /// <summary>Stops the silo gracefully: its activations deactivate and it leaves the cluster.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
