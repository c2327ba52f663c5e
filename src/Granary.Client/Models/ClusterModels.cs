namespace Granary.Client.Models;

/// <summary>The body of <c>GET /v1/cluster</c>: every node membership knows of, the answering node's view.</summary>
public sealed record ClusterInfo(string Name, string Mode, string AnsweredBy, IReadOnlyList<ClusterNodeInfo> Nodes);

/// <summary>
/// One node. <c>State</c> is Orleans' view (joining, active, shutting_down, stopping, dead); the load figures are
/// what the node last published (<c>SeenAt</c>), every 2 s while it runs.
/// </summary>
public sealed record ClusterNodeInfo(
    string Id,
    string? Url,
    string SiloAddress,
    string State,
    DateTimeOffset? StartedAt,
    double? UptimeSeconds,
    DateTimeOffset? SeenAt,
    int? Cores,
    long? MemoryBytes,
    long? WorkingSetBytes,
    double? CpuLoad,
    int? Shards,
    int? RunningJobs,
    long? BlobBytesLoaded);
