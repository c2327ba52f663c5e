using Granary.Storage.Chunks;

namespace Granary.Cluster.Training;

/// <summary>
/// Encoded training matrices kept on the node that holds their chunk, keyed by chunk, feature spec and
/// split: every optimiser iteration after the first reads memory, not Parquet.
/// </summary>
public sealed class EncodedChunkCache(long capacityBytes)
{
    public ByteBoundedCache<EncodedChunk> Cache { get; } = new(capacityBytes, chunk => chunk.EstimateBytes());
}
