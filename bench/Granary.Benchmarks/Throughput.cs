using System.Diagnostics;
using System.Text;
using Granary.Core.Data;
using Granary.Core.Ingest;
using Granary.Storage.Parquet;
using Parquet;

namespace Granary.Benchmarks;

/// <summary>Times CSV ingest from a file and Parquet writing of the resulting frames.</summary>
internal static class Throughput
{
    public static async Task RunAsync(string path, int rows)
    {
        if (!File.Exists(path))
        {
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
            CsvData.Write(writer, rows, 32);
        }

        var bytes = new FileInfo(path).Length;
        Console.WriteLine($"CSV {path}: {bytes / 1e6:F1} MB");
        for (var run = 0; run < 3; run++)
        {
            var frames = new List<Frame>();
            var watch = Stopwatch.StartNew();
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                await foreach (var frame in new CsvTabularReader().ReadAsync(stream, new IngestOptions(), CancellationToken.None))
                {
                    frames.Add(frame);
                }
            }

            watch.Stop();
            Console.WriteLine($"CSV parse run {run}: {frames.Sum(f => (long)f.RowCount)} rows, {frames.Count} frames, {watch.Elapsed.TotalSeconds:F2} s, {bytes / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s");
            await ParquetAsync(frames);
        }
    }

    private static async Task ParquetAsync(List<Frame> frames)
    {
        foreach (var compression in new[] { CompressionMethod.None, CompressionMethod.Snappy })
        {
            // An in-memory sink isolates the codec's CPU cost from the disk shared with other jobs.
            using var sink = new MemoryStream(300 << 20);
            long written = 0;
            var watch = Stopwatch.StartNew();
            foreach (var frame in frames)
            {
                sink.SetLength(0);
                written += await ParquetChunkCodec.WriteAsync(frame, sink, compression, CancellationToken.None);
            }

            watch.Stop();
            var frameBytes = frames.Sum(f => f.EstimateBytes());
            Console.WriteLine(
                $"Parquet write ({compression}): {watch.Elapsed.TotalSeconds:F2} s, {frameBytes / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s of frame data, " +
                $"output {written / 1e6:F1} MB");
        }
    }
}
