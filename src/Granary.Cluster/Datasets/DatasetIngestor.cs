using System.Threading.Channels;
using Granary.Core.Data;
using Granary.Core.Ingest;
using Granary.Storage.Blobs;
using Granary.Storage.Chunks;
using Granary.Storage.Metadata;
using Granary.Storage.Parquet;
using Microsoft.Extensions.Logging;

namespace Granary.Cluster.Datasets;

/// <summary>
/// Streams an input file into a new dataset version: the reader cuts the body into frames while writers
/// encode earlier frames as Parquet chunks (written, fsynced, published); when every chunk is durable one
/// metadata transaction makes the version visible. On any failure or cancellation the chunks written so
/// far are deleted and nothing is committed; a crash leaves only files the orphan sweep removes.
/// </summary>
public sealed partial class DatasetIngestor(
    IMetadataStore store,
    IBlobStore blobs,
    ChunkCache cache,
    UploadRegistry uploads,
    IWriteHoldStore holds,
    Jobs.JobRunnerIdentity identity,
    Observability.GranaryMetrics metrics,
    TimeProvider time,
    ILogger<DatasetIngestor> logger)
{
    /// <summary>Chunks encoded at once; parsing runs alongside, so two keeps both cores of a small node busy.</summary>
    private const int Writers = 2;

    public async Task<DatasetVersionRecord> IngestAsync(
        string name, bool append, InputFormat format, Stream body, IngestOptions options, CancellationToken cancellationToken)
    {
        if (append)
        {
            var latest = await store.GetVersionAsync(name, null, cancellationToken)
                ?? throw new MetadataConflictException("dataset_not_found", $"Dataset '{name}' does not exist; upload a file first.");
            options = new IngestOptions
            {
                ChunkRows = options.ChunkRows,
                ExpectedSchema = latest.Schema,
                InferenceRows = options.InferenceRows,
                Delimiter = options.Delimiter,
                MaxColumns = options.MaxColumns,
            };
        }

        var prefix = $"datasets/{name}/{time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..12]}";
        uploads.Add(prefix);
        // Other nodes' sweeps see the folder as held until the version is committed or the upload given up.
        await using var hold = await UploadHold.StartAsync(holds, prefix, identity.Owner, time, cancellationToken);
        var written = new List<(int Sequence, NewChunk Chunk)>();
        DatasetSchema? schema = null;
        try
        {
            var frames = Channel.CreateBounded<(int, Frame)>(new BoundedChannelOptions(Writers) { SingleWriter = true });
            // A failed writer cancels the reader too, so it never waits on a channel nobody drains.
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var writers = Enumerable.Range(0, Writers)
                .Select(_ => Task.Run(() => WriteChunksAsync(frames.Reader, prefix, written, failed), CancellationToken.None))
                .ToArray();
            try
            {
                var sequence = 0;
                await foreach (var frame in Reader(format).ReadAsync(body, options, failed.Token))
                {
                    schema ??= frame.Schema;
                    await frames.Writer.WriteAsync((sequence++, frame), failed.Token);
                }

                frames.Writer.Complete();
            }
            catch (Exception error)
            {
                frames.Writer.TryComplete(error);
                await Task.WhenAll(writers).ContinueWith(_ => { }, TaskScheduler.Default);
                var writerError = writers.FirstOrDefault(w => w.IsFaulted)?.Exception?.InnerException;
                if (writerError is not null && error is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(writerError);
                }

                throw;
            }

            await Task.WhenAll(writers);
            if (schema is null || written.Count == 0)
            {
                throw new DataFormatException(DataFormatErrors.NoRows, "The input has no data rows.");
            }

            var chunks = written.OrderBy(w => w.Sequence).Select(w => w.Chunk).ToList();
            var version = append
                ? await store.CommitAppendAsync(name, schema, chunks, cancellationToken)
                : await store.CommitUploadAsync(name, schema, chunks, cancellationToken);
            LogCommitted(logger, name, version.Version, version.AddedRows, chunks.Count, chunks.Sum(c => c.ByteCount));
            metrics.Ingested(append ? "append" : "upload", version.AddedRows, chunks.Sum(c => c.ByteCount));
            return version;
        }
        catch
        {
            await DiscardAsync(written);
            throw;
        }
        finally
        {
            uploads.Remove(prefix);
        }
    }

    private async Task WriteChunksAsync(ChannelReader<(int Sequence, Frame Frame)> frames, string prefix, List<(int, NewChunk)> written, CancellationTokenSource failed)
    {
        try
        {
            await foreach (var (sequence, frame) in frames.ReadAllAsync(failed.Token))
            {
                var path = $"{prefix}/{sequence:D6}.parquet";
                var bytes = await blobs.WriteAsync(path, (stream, ct) => ParquetChunkCodec.WriteAsync(frame, stream, ct), failed.Token);
                lock (written)
                {
                    written.Add((sequence, new NewChunk(path, frame.RowCount, bytes)));
                }

                // Freshly ingested data is what gets profiled and trained next: keep it decoded.
                cache.Put(path, frame);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw;
        }
    }

    private async Task DiscardAsync(List<(int Sequence, NewChunk Chunk)> written)
    {
        List<NewChunk> chunks;
        lock (written)
        {
            chunks = written.Select(w => w.Chunk).ToList();
        }

        foreach (var chunk in chunks)
        {
            cache.Evict(chunk.Path);
            try
            {
                await blobs.DeleteAsync(chunk.Path, CancellationToken.None);
            }
            catch (IOException error)
            {
                LogDiscardFailed(logger, error, chunk.Path);
            }
        }
    }

    private static ITabularReader Reader(InputFormat format) => format switch
    {
        InputFormat.Csv => new CsvTabularReader(),
        InputFormat.NdJson => new NdJsonTabularReader(),
        InputFormat.Parquet => new ParquetTabularReader(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset {Name} version {Version} committed: {Rows} rows in {Chunks} chunks, {Bytes} bytes")]
    private static partial void LogCommitted(ILogger logger, string name, int version, long rows, int chunks, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete uncommitted chunk {Path}; the orphan sweep will")]
    private static partial void LogDiscardFailed(ILogger logger, Exception error, string path);
}
