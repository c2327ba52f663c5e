using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;

namespace Granary.EndToEnd;

/// <summary>
/// What two cores of this machine give at all, measured beside the scale-out figure: a logistic-gradient
/// kernel over plain arrays (the arithmetic of a training pass, no Granary code) run as one process pinned to
/// core 0 over 16 chunks' worth of rows, then as two processes pinned to cores 0 and 1 over 8 each, at once.
/// Virtual cores that share a physical core or memory bandwidth cap any scale-out below 2x; this is that cap.
/// </summary>
public static class CoreScalingProbe
{
    private const int ChunkRows = 250_000;
    private const int Features = 32;

    /// <summary>Child mode: <c>--core-probe CHUNKS</c> prints the median milliseconds of 15 passes.</summary>
    public static void RunChild(string[] args)
    {
        var chunks = int.Parse(args[Array.IndexOf(args, "--core-probe") + 1], CultureInfo.InvariantCulture);
        var rows = chunks * ChunkRows;
        var data = new double[(long)rows * Features];
        for (long i = 0; i < data.LongLength; i++)
        {
            data[i] = (i % 7 * 0.1) - 0.3;
        }

        var weights = Enumerable.Range(0, Features).Select(f => 0.01 * f).ToArray();
        var gradient = new double[Features];
        var times = new List<double>();
        var loss = 0.0;
        for (var pass = 0; pass < 15; pass++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < rows; i++)
            {
                var row = new ReadOnlySpan<double>(data, i * Features, Features);
                var p = 1 / (1 + Math.Exp(-TensorPrimitives.Dot(row, weights)));
                loss += Math.Log(1 + p);
                TensorPrimitives.MultiplyAdd(row, p, gradient, gradient);
            }

            times.Add(clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine(FormattableString.Invariant($"{BenchHttp.Median(times)} {loss > 0}"));
    }

    /// <summary>Seconds per pass: one process over 16 chunks; two processes over 8 each, at the same time (the slower).</summary>
    public static async Task<(double One, double Two)> MeasureAsync()
    {
        var one = await RunAsync(0, 16);
        var two = await Task.WhenAll(RunAsync(0, 8), RunAsync(1, 8));
        return (one, two.Max());
    }

    private static async Task<double> RunAsync(int core, int chunks)
    {
        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in (string[])["-c", core.ToString(CultureInfo.InvariantCulture), "dotnet", typeof(CoreScalingProbe).Assembly.Location, "--core-probe", chunks.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("taskset did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return double.Parse(output.Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
