namespace Granary.Storage.Nodes;

/// <summary>One node as it last described itself. <see cref="Id"/> is its runner identity (also its silo name).</summary>
public sealed record NodeRecord(string Id, string Url, string SiloAddress, DateTimeOffset StartedAt, DateTimeOffset SeenAt, NodeLoad Load);

/// <summary>A node's capacity and load when it last published.</summary>
/// <param name="CpuLoad">Share of this node's cores its process used since the previous publication, 0..1.</param>
/// <param name="BlobBytesLoaded">Bytes of chunks this process has read from the blob store since it started.</param>
public sealed record NodeLoad(
    int Cores,
    long MemoryBytes,
    long WorkingSetBytes,
    double CpuLoad,
    int Shards,
    int RunningJobs,
    long BlobBytesLoaded);
