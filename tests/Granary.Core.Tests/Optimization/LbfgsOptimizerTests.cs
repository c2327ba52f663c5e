using Granary.Core.Optimization;

namespace Granary.Core.Tests.Optimization;

public sealed class LbfgsOptimizerTests
{
    [Fact]
    public void Minimize_Rosenbrock_ReachesMinimum()
    {
        var state = LbfgsOptimizer.Minimize(Rosenbrock, [-1.2, 1.0, -1.2, 1.0], new LbfgsOptions { Tolerance = 1e-12, MaxIterations = 500 });
        Assert.True(state.Converged, state.StopReason);
        foreach (var v in state.X)
        {
            Assert.Equal(1.0, v, 1e-5);
        }
    }

    [Fact]
    public void Minimize_IllConditionedQuadratic_ReachesMinimum()
    {
        var state = LbfgsOptimizer.Minimize(Quadratic, [5.0, -3.0, 2.0], new LbfgsOptions { Tolerance = 1e-10 });
        Assert.True(state.Converged);
        Assert.Equal(1.0, state.X[0], 1e-6);
        Assert.Equal(2.0, state.X[1], 1e-6);
        Assert.Equal(3.0, state.X[2], 1e-6);
    }

    [Fact]
    public void Minimize_L1OnQuadratic_SoftThresholds()
    {
        // f = ½Σ(x_i − c_i)² + λΣ|x_i|: the minimiser is soft-thresholding sign(c)·max(|c| − λ, 0).
        var c = new[] { 3.0, -0.5, 0.2, -2.0 };
        const double lambda = 1.0;
        var options = new LbfgsOptions { Tolerance = 1e-12, L1Weights = [lambda, lambda, lambda, lambda] };
        var state = LbfgsOptimizer.Minimize(
            x => (x.Select((v, i) => 0.5 * (v - c[i]) * (v - c[i])).Sum(), x.Select((v, i) => v - c[i]).ToArray()),
            new double[4],
            options);
        Assert.Equal(2.0, state.X[0], 1e-9);
        Assert.Equal(0.0, state.X[1]);
        Assert.Equal(0.0, state.X[2]);
        Assert.Equal(-1.0, state.X[3], 1e-9);
    }

    [Fact]
    public void MaxIterations_Reached_StopsWithoutConvergence()
    {
        var state = LbfgsOptimizer.Minimize(Rosenbrock, [-1.2, 1.0], new LbfgsOptions { MaxIterations = 3 });
        Assert.False(state.Converged);
        Assert.Equal("max-iterations", state.StopReason);
        Assert.Equal(3, state.Iteration);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Deserialize_AfterAnyEvaluation_ResumesBitForBit(bool l1)
    {
        var options = new LbfgsOptions
        {
            Tolerance = 1e-10,
            MaxIterations = 60,
            Memory = 4,
            L1Weights = l1 ? [0.01, 0.02, 0.0, 0.05, 0.01, 0.0] : null,
        };
        var x0 = new[] { -1.2, 1.0, -1.2, 1.0, 0.5, -0.5 };
        var reference = LbfgsOptimizer.Minimize(Rosenbrock, x0, options);
        Assert.True(reference.Evaluations > reference.Iteration + 1, "the run should include rejected line-search trials");

        var midLineSearch = 0;
        for (var stopAfter = 1; stopAfter < reference.Evaluations; stopAfter++)
        {
            // Run part-way, checkpoint through bytes, continue from the copy.
            var state = LbfgsOptimizer.Start(x0, options);
            for (var e = 0; e < stopAfter; e++)
            {
                var (f, g) = Rosenbrock(LbfgsOptimizer.NextPoint(state).ToArray());
                LbfgsOptimizer.Tell(state, f, g);
            }

            if (state.LineSearchStep > 0)
            {
                midLineSearch++;
            }

            var resumed = OptimizerState.Deserialize(state.Serialize());
            LbfgsOptimizer.Run(resumed, Rosenbrock);
            Assert.Equal(Bits(reference.X), Bits(resumed.X));
            Assert.Equal(reference.F, resumed.F);
            Assert.Equal(reference.Iteration, resumed.Iteration);
            Assert.Equal(reference.Evaluations, resumed.Evaluations);
            Assert.Equal(reference.StopReason, resumed.StopReason);
        }

        Assert.True(midLineSearch > 0, "some checkpoint should fall inside a line search after a rejected trial");
    }

    [Fact]
    public void Serialize_RoundTrip_PreservesEveryField()
    {
        var options = new LbfgsOptions { L1Weights = [0.1, 0.0], MaxIterations = 7, Tolerance = 1e-3, Memory = 3, MaxLineSearchSteps = 9 };
        var state = LbfgsOptimizer.Start([0.5, 0.5], options);
        for (var e = 0; e < 5; e++)
        {
            var (f, g) = Rosenbrock(LbfgsOptimizer.NextPoint(state).ToArray());
            LbfgsOptimizer.Tell(state, f, g);
        }

        var bytes = state.Serialize();
        var copy = OptimizerState.Deserialize(bytes);
        Assert.Equal(bytes, copy.Serialize());
        Assert.Equal(9, copy.Options.MaxLineSearchSteps);
        Assert.Equal(new[] { 0.1, 0.0 }, copy.Options.L1Weights!);
    }

    [Fact]
    public void Deserialize_UnknownVersion_Throws()
    {
        var bytes = LbfgsOptimizer.Start([1.0], new LbfgsOptions()).Serialize();
        bytes[0] = 99;
        Assert.Throws<InvalidDataException>(() => OptimizerState.Deserialize(bytes));
    }

    [Fact]
    public void Tell_AfterStop_Throws()
    {
        var state = LbfgsOptimizer.Minimize(Quadratic, [1.0, 2.0, 3.0], new LbfgsOptions());
        Assert.True(state.IsDone);
        Assert.True(LbfgsOptimizer.NextPoint(state).IsEmpty);
        Assert.Throws<InvalidOperationException>(() => LbfgsOptimizer.Tell(state, 0, new double[3]));
    }

    private static long[] Bits(ReadOnlySpan<double> values) => values.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static (double F, double[] G) Quadratic(double[] x)
    {
        double[] c = [1.0, 2.0, 3.0];
        double[] scale = [1.0, 10.0, 100.0];
        var f = 0.0;
        var g = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            f += 0.5 * scale[i] * (x[i] - c[i]) * (x[i] - c[i]);
            g[i] = scale[i] * (x[i] - c[i]);
        }

        return (f, g);
    }

    /// <summary>Extended Rosenbrock over consecutive pairs.</summary>
    private static (double F, double[] G) Rosenbrock(double[] x)
    {
        var f = 0.0;
        var g = new double[x.Length];
        for (var i = 0; i + 1 < x.Length; i += 2)
        {
            var a = 1 - x[i];
            var b = x[i + 1] - (x[i] * x[i]);
            f += (a * a) + (100 * b * b);
            g[i] += (-2 * a) - (400 * x[i] * b);
            g[i + 1] += 200 * b;
        }

        return (f, g);
    }
}
