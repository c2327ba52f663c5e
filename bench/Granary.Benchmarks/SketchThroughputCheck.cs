using System.Diagnostics;
using Granary.Core.Data;
using Granary.Core.Sketches;

namespace Granary.Benchmarks;

/// <summary>
/// Stopwatch check of the profiling target: 4 chunks x 262,144 rows x 33 numeric columns, chunks sketched
/// in parallel, then merged and turned into a profile. Run with <c>--sketch-throughput</c> in Release.
/// </summary>
public static class SketchThroughputCheck
{
    public static double[] Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            values[i] = (seed % 3) switch
            {
                0 => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()),
                1 => random.NextDouble() * 1000,
                _ => random.Next(100),
            };
        }

        return values;
    }

    public static void Run(int repetitions = 7)
    {
        const int chunks = 4;
        const int rows = 262_144;
        const int columns = 33;
        var schema = new DatasetSchema(Enumerable.Range(0, columns).Select(c => new ColumnSchema("c" + c, ColumnType.Numeric)).ToArray());
        var frames = new Frame[chunks];
        for (var f = 0; f < chunks; f++)
        {
            var data = Enumerable.Range(0, columns).Select(c => (Column)new NumericColumn("c" + c, Generate(rows, (f * columns) + c))).ToArray();
            frames[f] = new Frame(schema, data, rows);
        }

        var times = new List<double>();
        var cpuTimes = new List<double>();
        var process = Process.GetCurrentProcess();
        DatasetProfileResult? profile = null;
        var bytes = 0;
        for (var r = 0; r < repetitions; r++)
        {
            GC.Collect();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var sketches = new DatasetSketch[chunks];
            Parallel.For(0, chunks, f =>
            {
                var sketch = new DatasetSketch(schema);
                sketch.Add(frames[f]);
                sketches[f] = DatasetSketch.Deserialize(sketch.Serialize()); // as if shipped between nodes
            });
            var merged = sketches[0];
            for (var f = 1; f < chunks; f++)
            {
                merged.Merge(sketches[f]);
            }

            profile = merged.ToProfile();
            watch.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            cpuTimes.Add(cpu);
            bytes = merged.Serialize().Length;
            times.Add(watch.Elapsed.TotalMilliseconds);
            Console.WriteLine($"run {r + 1}: {watch.Elapsed.TotalMilliseconds:F1} ms wall, {cpu:F0} ms CPU");
        }

        times.Sort();
        cpuTimes.Sort();
        var values = (double)chunks * rows * columns;
        Console.WriteLine($"{chunks} x {rows} rows x {columns} numeric columns on {Environment.ProcessorCount} cores: " +
            $"min {times[0]:F1} ms, median {times[times.Count / 2]:F1} ms, {times[0] * 1e6 / values:F2} ns/value wall; " +
            $"CPU min {cpuTimes[0]:F0} ms ({cpuTimes[0] * 1e6 / values:F2} ns/value)");
        Console.WriteLine($"merged sketch {bytes / 1024.0:F0} KiB; rows {profile!.Rows}; c0 p50 {profile.Columns[0].Quantiles![4].Value:F4}, " +
            $"rank error bound {profile.Columns[0].QuantileRankError:P3}, distinct {profile.Columns[0].Distinct}");

        var single = new DatasetSketch(schema);
        var oneCore = Stopwatch.StartNew();
        single.Add(frames[0]);
        oneCore.Stop();
        Console.WriteLine($"one chunk on one core: {oneCore.Elapsed.TotalMilliseconds:F1} ms, {oneCore.Elapsed.TotalMilliseconds * 1e6 / (rows * columns):F2} ns/value");
    }
}
