using System.Numerics.Tensors;

namespace Granary.Core.Optimization;

/// <summary>The vector steps of L-BFGS / OWL-QN, kept apart from the state machine in <see cref="LbfgsOptimizer"/>.</summary>
internal static class QuasiNewtonMath
{
    /// <summary>Direction = −H·v by the L-BFGS two-loop recursion over the ring buffer of pairs.</summary>
    internal static void TwoLoop(OptimizerState state, double[] v)
    {
        var q = state.Direction.AsSpan();
        v.CopyTo(q);
        var memory = state.Options.Memory;
        var count = state.HistoryCount;
        for (var back = 1; back <= count; back++)
        {
            var i = (state.HistoryNext - back + memory) % memory;
            var a = state.Rho[i] * TensorPrimitives.Dot(state.S[i], q);
            state.Alpha[i] = a;
            TensorPrimitives.MultiplyAdd(state.Y[i], -a, q, q);
        }

        if (count > 0)
        {
            var newest = (state.HistoryNext - 1 + memory) % memory;
            var gamma = 1.0 / (state.Rho[newest] * TensorPrimitives.Dot(state.Y[newest], state.Y[newest]));
            TensorPrimitives.Multiply(q, gamma, q);
        }

        for (var forward = count; forward >= 1; forward--)
        {
            var i = (state.HistoryNext - forward + memory) % memory;
            var b = state.Rho[i] * TensorPrimitives.Dot(state.Y[i], q);
            TensorPrimitives.MultiplyAdd(state.S[i], state.Alpha[i] - b, q, q);
        }

        TensorPrimitives.Negate(q, q);
    }

    /// <summary>OWL-QN: an L1 coordinate may only move against its pseudo-gradient.</summary>
    internal static void ConstrainDirection(OptimizerState state)
    {
        var l1 = state.Options.L1Weights!;
        for (var i = 0; i < state.Dimension; i++)
        {
            if (l1[i] > 0 && state.Direction[i] * state.PseudoGradient[i] >= 0)
            {
                state.Direction[i] = 0;
            }
        }
    }

    internal static void ComputeTrial(OptimizerState state)
    {
        TensorPrimitives.MultiplyAdd(state.Direction, state.Step, state.XArray, state.Trial);
        var l1 = state.Options.L1Weights;
        if (!state.Options.UsesL1 || l1 is null)
        {
            return;
        }

        // Orthant projection: a coordinate that would cross zero stops at zero.
        for (var i = 0; i < state.Dimension; i++)
        {
            if (l1[i] <= 0)
            {
                continue;
            }

            var x = state.XArray[i];
            var orthant = x != 0 ? Math.Sign(x) : -Math.Sign(state.PseudoGradient[i]);
            if (Math.Sign(state.Trial[i]) != orthant)
            {
                state.Trial[i] = 0;
            }
        }
    }

    internal static void ComputePseudoGradient(OptimizerState state)
    {
        var l1 = state.Options.L1Weights;
        for (var i = 0; i < state.Dimension; i++)
        {
            var g = state.GArray[i];
            var lambda = l1 is null ? 0 : l1[i];
            var x = state.XArray[i];
            state.PseudoGradient[i] = lambda <= 0 ? g
                : x > 0 ? g + lambda
                : x < 0 ? g - lambda
                : g + lambda < 0 ? g + lambda
                : g - lambda > 0 ? g - lambda
                : 0;
        }
    }

    internal static double L1Term(LbfgsOptions options, ReadOnlySpan<double> x)
    {
        if (options.L1Weights is not { } l1 || !options.UsesL1)
        {
            return 0;
        }

        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += l1[i] * Math.Abs(x[i]);
        }

        return sum;
    }
}
