using Granary.Core.Data;

namespace Granary.Core.Ingest;

/// <summary>
/// Reads one input format as a sequence of frames of at most <see cref="IngestOptions.ChunkRows"/> rows,
/// streaming: memory stays bounded by a few chunks whatever the input size. All frames share one schema.
/// Malformed input throws <see cref="DataFormatException"/>.
/// </summary>
public interface ITabularReader
{
    IAsyncEnumerable<Frame> ReadAsync(Stream input, IngestOptions options, CancellationToken cancellationToken);
}
