using BenchmarkDotNet.Attributes;
using Granary.Core.Linear;

namespace Granary.Benchmarks;

/// <summary>One logistic loss + gradient pass over a 262,144 × 32 design matrix (64 MiB of features).</summary>
[MemoryDiagnoser]
public class LinearLossBenchmark
{
    public const int Rows = 262_144;
    public const int Width = 32;

    private DesignMatrix _x = null!;
    private double[] _coefficients = null!;
    private double[] _gradient = null!;
    private LossWorkspace _workspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _x = LinearCheck.Generate(Rows, Width, seed: 1);
        _coefficients = new double[Width + 1];
        for (var j = 0; j < Width; j++)
        {
            _coefficients[j] = 0.1 * ((j % 5) - 2);
        }

        _gradient = new double[Width + 1];
        _workspace = new LossWorkspace();
    }

    /// <summary>Divide the reported mean by <see cref="Rows"/> for ns/row.</summary>
    [Benchmark]
    public double LogisticPass()
    {
        Array.Clear(_gradient);
        return LinearLoss.Accumulate(LinearObjective.Logistic, _x, 2, _coefficients, _gradient, _workspace);
    }
}
