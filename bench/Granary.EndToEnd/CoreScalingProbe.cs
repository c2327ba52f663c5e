using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Granary.Core.Linear;

namespace Granary.EndToEnd;

/// <summary>
/// What two cores of this machine give at all, measured beside the scale-out figure: a logistic-gradient kernel
/// run as one process pinned to core 0 over 16 chunks' worth of rows, then as two processes pinned to cores 0
/// and 1 over 8 each, at once (both fill their arrays first, then start their passes together, as the nodes of a
/// training pass do). Two kernels: a row loop over plain arrays (no Granary code), and Granary's own
/// <see cref="LinearLoss"/> over column chunks. Virtual cores that share a physical core or
/// memory bandwidth cap any scale-out below 2x; the first measures that cap, the second the kernel's own, so what
/// the nodes lose beyond it is node overhead. Children run with tiered compilation off, as <c>granary</c> does
/// (its runtimeconfig): with quick JIT the vectorised kernel stayed unoptimised for many of the 15 passes.
/// </summary>
public static class CoreScalingProbe
{
    private const int ChunkRows = 250_000;
    private const int Features = 32;

    /// <summary>
    /// Child mode: <c>--core-probe CHUNKS [--granary-kernel]</c> fills its arrays, prints "ready", waits for a line
    /// on standard input, then prints the median seconds of 15 passes.
    /// </summary>
    public static void RunChild(string[] args)
    {
        var chunks = int.Parse(args[Array.IndexOf(args, "--core-probe") + 1], CultureInfo.InvariantCulture);
        var pass = args.Contains("--granary-kernel") ? GranaryKernel(chunks) : PlainKernel(chunks);
        Console.WriteLine("ready");
        Console.ReadLine();
        var times = new List<double>();
        var loss = 0.0;
        for (var i = 0; i < 15; i++)
        {
            var clock = Stopwatch.StartNew();
            loss += pass();
            times.Add(clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine(FormattableString.Invariant($"{BenchHttp.Median(times)} {loss > 0}"));
    }

    /// <summary>A row loop over one row-major array: no Granary code.</summary>
    private static Func<double> PlainKernel(int chunks)
    {
        var rows = chunks * ChunkRows;
        var data = new double[(long)rows * Features];
        for (long i = 0; i < data.LongLength; i++)
        {
            data[i] = (i % 7 * 0.1) - 0.3;
        }

        var weights = Enumerable.Range(0, Features).Select(f => 0.01 * f).ToArray();
        var gradient = new double[Features];
        return () =>
        {
            var loss = 0.0;
            for (var i = 0; i < rows; i++)
            {
                var row = new ReadOnlySpan<double>(data, i * Features, Features);
                var p = 1 / (1 + Math.Exp(-TensorPrimitives.Dot(row, weights)));
                loss += Math.Log(1 + p);
                TensorPrimitives.MultiplyAdd(row, p, gradient, gradient);
            }

            return loss;
        };
    }

    /// <summary>Granary's loss and gradient over column chunks, as a shard computes them.</summary>
    private static Func<double> GranaryKernel(int chunks)
    {
        var matrices = Enumerable.Range(0, chunks).Select(c =>
        {
            var columns = Enumerable.Range(0, Features).Select(f => Enumerable.Range(0, ChunkRows).Select(i => ((i + f + c) % 7 * 0.1) - 0.3).ToArray()).ToArray();
            return new DesignMatrix(ChunkRows, columns, Enumerable.Range(0, ChunkRows).Select(i => (double)(i % 2)).ToArray());
        }).ToList();
        var coefficients = Enumerable.Range(0, Features + 1).Select(f => 0.01 * f).ToArray();
        var gradient = new double[Features + 1];
        return () => matrices.Sum(x => LinearLoss.Accumulate(LinearObjective.Logistic, x, 2, coefficients, gradient, new LossWorkspace()));
    }

    /// <summary>Seconds per pass: one process over 16 chunks; two processes over 8 each, at the same time (the slower).</summary>
    public static async Task<(double One, double Two)> MeasureAsync(bool granaryKernel = false)
    {
        var one = await RunTogetherAsync(granaryKernel, (0, 16));
        var two = await RunTogetherAsync(granaryKernel, (0, 8), (1, 8));
        return (one[0], two.Max());
    }

    private static async Task<double[]> RunTogetherAsync(bool granaryKernel, params (int Core, int Chunks)[] children)
    {
        var processes = children.Select(child => Start(child.Core, child.Chunks, granaryKernel)).ToList();
        try
        {
            foreach (var process in processes)
            {
                if (await process.StandardOutput.ReadLineAsync() != "ready")
                {
                    throw new InvalidOperationException("the core probe did not start");
                }
            }

            foreach (var process in processes)
            {
                await process.StandardInput.WriteLineAsync();
                await process.StandardInput.FlushAsync();
            }

            return await Task.WhenAll(processes.Select(async process =>
            {
                var output = await process.StandardOutput.ReadToEndAsync();
                await process.WaitForExitAsync();
                return double.Parse(output.Split(' ')[0], CultureInfo.InvariantCulture);
            }));
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }

    private static Process Start(int core, int chunks, bool granaryKernel)
    {
        var start = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.Environment["DOTNET_TieredCompilation"] = "0";
        foreach (var arg in (string[])["-c", core.ToString(CultureInfo.InvariantCulture), "dotnet", typeof(CoreScalingProbe).Assembly.Location, "--core-probe", chunks.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        if (granaryKernel)
        {
            start.ArgumentList.Add("--granary-kernel");
        }

        return Process.Start(start) ?? throw new InvalidOperationException("taskset did not start");
    }
}
