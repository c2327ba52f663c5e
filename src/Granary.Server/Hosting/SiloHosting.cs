using System.Net;
using System.Net.Sockets;
using Granary.Cluster.Membership;
using Granary.Cluster.Placement;
using Granary.Cluster.Security;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Granary.Server.Hosting;

/// <summary>
/// Configures this node's Orleans silo. One code path for both modes: a single node clusters with itself
/// on loopback; a node with a PostgreSQL store joins the cluster recorded in that database.
/// </summary>
internal static class SiloHosting
{
    public static void AddGranarySilo(this WebApplicationBuilder builder, ClusterOptions cluster, StorageOptions storage, string nodeId)
    {
        var secret = cluster.ResolveSecret();
        if (storage.IsPostgres && secret is null)
        {
            throw ClusterOptions.Invalid(
                "Cluster mode needs Cluster:Secret or Cluster:SecretFile (at least 32 random characters, the same on every node), " +
                "so that only members can connect to this node's silo. Generate one with: openssl rand -base64 48");
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<SiloOptions>(options => options.SiloName = nodeId);
            silo.AddShardPlacement();
            if (secret is not null)
            {
                silo.UseClusterSecret(secret);
            }

            if (!storage.IsPostgres)
            {
                var port = cluster.SiloPort == 0 ? FreePort(IPAddress.Loopback) : cluster.SiloPort;
                silo.UseLocalhostClustering(siloPort: port, gatewayPort: 0, serviceId: "granary", clusterId: cluster.Name);
                return;
            }

            var address = IPAddress.Parse(cluster.AdvertisedAddress);
            silo.Configure<Orleans.Configuration.ClusterOptions>(options =>
            {
                options.ClusterId = cluster.Name;
                options.ServiceId = "granary";
            });
            silo.ConfigureEndpoints(address, cluster.SiloPort == 0 ? FreePort(address) : cluster.SiloPort, gatewayPort: 0,
                listenOnAnyHostAddress: cluster.ListenOnAnyAddress);
            silo.UsePostgresClustering(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.PostgresConnectionString!);
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                // Orleans' defaults take 10-15 s to declare a killed node dead; these take about 2 s.
                options.ProbeTimeout = cluster.ProbeTimeout;
                options.NumMissedProbesLimit = cluster.MissedProbesLimit;
                options.NumVotesForDeathDeclaration = cluster.DeathVotes;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            });
            // The default directory loses registrations held by a dead node and deactivates grains on the
            // survivors to stay consistent; the distributed directory hands its ranges over instead.
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            // After a crash the directory blocks re-registering the dead node's grains for this long (default
            // tens of seconds), in case the node is only partitioned and still runs them. Granary's grains tolerate
            // a brief duplicate: shards are pure functions of immutable chunks, and a coordinator is only driven by
            // the runner holding its job's lease. So a short hold, counted from the estimated failure time.
            silo.Configure<GrainDirectoryOptions>(options => options.RangeLeaseDuration = TimeSpan.FromSeconds(2));
        });
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
