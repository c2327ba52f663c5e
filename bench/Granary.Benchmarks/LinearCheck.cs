using System.Diagnostics;
using Granary.Core.Linear;

namespace Granary.Benchmarks;

/// <summary>
/// Quick Stopwatch figures without BenchmarkDotNet: `linear-check [rows]`. Times single-threaded loss passes
/// (ns/row) and a full logistic fit to Tolerance 1e-6 on generated data, w_f = ((f % 7) − 3)·0.25, x ~ N(0,1).
/// </summary>
internal static class LinearCheck
{
    public static void Run(int rows, int width = 32)
    {
        var generate = Stopwatch.StartNew();
        var x = Generate(rows, width, seed: 1);
        Console.WriteLine($"generated {rows:N0} x {width} in {generate.Elapsed.TotalSeconds:F1} s");

        var workspace = new LossWorkspace();
        var coefficients = new double[width + 1];
        var gradient = new double[width + 1];
        var best = double.MaxValue;
        for (var pass = 0; pass < 40; pass++)
        {
            Array.Clear(gradient);
            var sw = Stopwatch.StartNew();
            LinearLoss.Accumulate(LinearObjective.Logistic, x, 2, coefficients, gradient, workspace);
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"logistic pass: best {best:F1} ms = {best * 1e6 / rows:F2} ns/row");

        // Memory-bandwidth floor: just reading every feature value once.
        var floor = double.MaxValue;
        var sink = 0.0;
        for (var pass = 0; pass < 40; pass++)
        {
            var sw = Stopwatch.StartNew();
            foreach (var column in x.Columns)
            {
                sink += System.Numerics.Tensors.TensorPrimitives.Sum(column);
            }

            floor = Math.Min(floor, sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"read-only floor: best {floor:F1} ms = {floor * 1e6 / rows:F2} ns/row ({rows * width * 8 / floor / 1e6:F1} GB/s) [{sink:E1}]");

        var fit = Stopwatch.StartNew();
        var result = LocalLinearSolver.Fit([x], new LinearFitOptions { Objective = LinearObjective.Logistic, Tolerance = 1e-6 });
        fit.Stop();
        var maxError = Enumerable.Range(0, width).Max(f => Math.Abs(result.Coefficients[f] - TrueWeight(f)));
        Console.WriteLine(
            $"logistic fit: {result.Iterations} iterations, {result.Evaluations} loss passes, {fit.Elapsed.TotalSeconds:F2} s, " +
            $"stop={result.StopReason}, loss={result.Loss:F6}, max |w - w_true| = {maxError:F4}");
    }

    public static double TrueWeight(int feature) => ((feature % 7) - 3) * 0.25;

    public static DesignMatrix Generate(int rows, int width, int seed)
    {
        var random = new Random(seed);
        var columns = new double[width][];
        for (var j = 0; j < width; j++)
        {
            columns[j] = new double[rows];
        }

        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var z = 0.0;
            for (var j = 0; j < width; j++)
            {
                var u1 = 1.0 - random.NextDouble();
                var v = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble());
                columns[j][r] = v;
                z += TrueWeight(j) * v;
            }

            labels[r] = random.NextDouble() < 1.0 / (1.0 + Math.Exp(-z)) ? 1 : 0;
        }

        return new DesignMatrix(rows, columns, labels);
    }
}
