using Granary.Client.Models;
using Granary.Server.Hosting;
using Granary.Storage.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Granary.Server.Api;

/// <summary><c>/v1/cluster</c>: the nodes Orleans' membership knows, joined with what each last published about itself.</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/cluster", GetAsync)
            .WithName("GetCluster").WithTags("Cluster")
            .WithSummary("Nodes of the cluster: address, state, uptime, cores, memory, CPU load, shards held and running jobs.");
        return routes;
    }

    private static async Task<Ok<ClusterInfo>> GetAsync(
        IClusterMembershipService membership,
        INodeStore nodes,
        ILocalSiloDetails local,
        IOptions<Hosting.ClusterOptions> cluster,
        IOptions<StorageOptions> storage,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var published = (await nodes.ListNodesAsync(cancellationToken)).ToDictionary(n => n.SiloAddress, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        // Dead entries of earlier incarnations of a node that is back are noise: keep the newest entry per node.
        var members = membership.CurrentSnapshot.Members.Values
            .GroupBy(m => m.Name)
            .Select(g => g.OrderByDescending(m => m.SiloAddress.Generation).First())
            .OrderBy(m => m.Name, StringComparer.Ordinal);
        var list = new List<ClusterNodeInfo>();
        foreach (var member in members)
        {
            published.TryGetValue(member.SiloAddress.ToParsableString(), out var node);
            list.Add(new ClusterNodeInfo(
                member.Name,
                node?.Url,
                member.SiloAddress.ToString(),
                StateName(member.Status),
                node?.StartedAt,
                node is null || member.Status == SiloStatus.Dead ? null : Math.Round((now - node.StartedAt).TotalSeconds, 1),
                node?.SeenAt,
                node?.Load.Cores,
                node?.Load.MemoryBytes,
                node?.Load.WorkingSetBytes,
                node?.Load.CpuLoad,
                node?.Load.Shards,
                node?.Load.RunningJobs,
                node?.Load.BlobBytesLoaded));
        }

        return TypedResults.Ok(new ClusterInfo(
            cluster.Value.Name, storage.Value.IsPostgres ? "cluster" : "single", local.Name, list));
    }

    private static string StateName(SiloStatus status) => status switch
    {
        SiloStatus.Joining or SiloStatus.Created => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => "unknown",
    };
}
