namespace Granary.Server.Nodes;

/// <summary>This node's data-plane counters as the heartbeat publishes them.</summary>
internal sealed class NodeCounters
{
    public int Shards => 0;

    public long BlobBytesLoaded => 0;
}
