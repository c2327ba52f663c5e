using System.Net;
using System.Net.Sockets;
using Granary.Cluster.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Granary.Cluster.Tests.Security;

/// <summary>A real Orleans silo in this process on a free loopback port, with development clustering and short membership timeouts.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private bool started;

    private TestSilo(IHost host, int port, LogSink logs)
    {
        Host = host;
        Port = port;
        Logs = logs;
    }

    public IHost Host { get; }

    public int Port { get; }

    public LogSink Logs { get; }

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public SiloAddress Address => Host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    public ClusterMembershipSnapshot Membership => Host.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot;

    /// <summary>Builds a silo; <paramref name="primaryPort"/> null makes it the primary (it hosts the development membership table).</summary>
    public static TestSilo Create(string clusterId, int? primaryPort, string? secret, TimeSpan? maxJoinAttemptTime = null)
    {
        var port = FreeLoopbackPort();
        var logs = new LogSink();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: port,
                gatewayPort: 0,
                primarySiloEndpoint: new IPEndPoint(IPAddress.Loopback, primaryPort ?? port),
                serviceId: "granary-tests",
                clusterId: clusterId);
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
                o.MaxJoinAttemptTime = maxJoinAttemptTime ?? TimeSpan.FromSeconds(20);
            });
            silo.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = TimeSpan.FromSeconds(3));
            if (secret is not null)
            {
                silo.UseClusterSecret(secret, o => o.HandshakeTimeout = TimeSpan.FromSeconds(1));
            }
        });
        return new TestSilo(builder.Build(), port, logs);
    }

    public static async Task<TestSilo> StartAsync(string clusterId, int? primaryPort, string? secret)
    {
        var silo = Create(clusterId, primaryPort, secret);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.StartHostAsync(timeout.Token);
        return silo;
    }

    /// <summary>Starts the host; only a host that started is stopped on dispose (Orleans refuses to stop a silo that never finished starting).</summary>
    public async Task StartHostAsync(CancellationToken cancellationToken)
    {
        await Host.StartAsync(cancellationToken);
        started = true;
    }

    public int ActiveCount() => Membership.Members.Values.Count(m => m.Status == SiloStatus.Active);

    public async ValueTask DisposeAsync()
    {
        if (started)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await Host.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Host.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
