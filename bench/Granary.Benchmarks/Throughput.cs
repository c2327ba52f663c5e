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
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
            {
                await foreach (var frame in Reader().ReadAsync(stream, new IngestOptions(), CancellationToken.None))
                {
                    frames.Add(frame);
                }
            }

            watch.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"  GC so far: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB");

            // CPU seconds show the cost independent of other jobs sharing the cores; /2 is the 2-core ideal.
            Console.WriteLine(
                $"CSV parse run {run}: {frames.Sum(f => (long)f.RowCount)} rows, {frames.Count} frames, {watch.Elapsed.TotalSeconds:F2} s wall " +
                $"({bytes / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s), {cpuSeconds:F2} CPU s ({bytes / 1e6 / cpuSeconds:F0} MB/s per core)");
            await ParquetAsync(frames);
        }
    }

    /// <summary>Best of many runs over an in-memory 100k-row file: less sensitive to other jobs on the machine.</summary>
    public static async Task BestOfAsync(int runs)
    {
        var csv = CsvData.Generate(100_000, 32);
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (var run = 0; run < runs; run++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await foreach (var frame in Reader().ReadAsync(new MemoryStream(csv), new IngestOptions(), CancellationToken.None))
            {
                GC.KeepAlive(frame);
            }

            bestWall = Math.Min(bestWall, watch.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }

        Console.WriteLine($"best of {runs}: {csv.Length / 1e6 / bestWall:F0} MB/s wall, {csv.Length / 1e6 / bestCpu:F0} MB/s per CPU second");
    }

    /// <summary>GRANARY_BLOCK_KB picks the CSV block size, for tuning.</summary>
    private static CsvTabularReader Reader() =>
        Environment.GetEnvironmentVariable("GRANARY_BLOCK_KB") is { } kb
            ? new CsvTabularReader(int.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024)
            : new CsvTabularReader();

    private static async Task ParquetAsync(List<Frame> frames)
    {
        foreach (var compression in new[] { CompressionMethod.None, CompressionMethod.Snappy })
        {
            // An in-memory sink isolates the codec's CPU cost from the disk shared with other jobs.
            using var sink = new MemoryStream(300 << 20);
            long written = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            foreach (var frame in frames)
            {
                sink.SetLength(0);
                written += await ParquetChunkCodec.WriteAsync(frame, sink, compression, CancellationToken.None);
            }

            watch.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var frameBytes = frames.Sum(f => f.EstimateBytes());
            Console.WriteLine(
                $"Parquet write ({compression}): {watch.Elapsed.TotalSeconds:F2} s, {frameBytes / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s of frame data, " +
                $"{cpuSeconds:F2} CPU s, output {written / 1e6:F1} MB");
        }
    }
}
