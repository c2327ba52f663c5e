using Granary.Core.Optimization;

namespace Granary.Core.Linear;

/// <summary>
/// Fits a linear model on in-memory blocks in one process: the reference the distributed coordinator is
/// checked against. It uses the same pieces (<see cref="LinearLoss"/>, <see cref="LbfgsOptimizer"/>) and the
/// same penalty helpers, so both minimise the same function.
/// </summary>
public static class LocalLinearSolver
{
    public static LinearFit Fit(IReadOnlyList<DesignMatrix> blocks, LinearFitOptions options, double[]? start = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(options);
        if (blocks.Count == 0)
        {
            throw new ArgumentException("At least one block is needed.", nameof(blocks));
        }

        var width = blocks[0].Width;
        if (blocks.Any(b => b.Width != width))
        {
            throw new ArgumentException("All blocks must have the same width.", nameof(blocks));
        }

        var count = LinearLoss.CoefficientCount(options.Objective, width, options.Classes);
        var totalWeight = blocks.Sum(LinearLoss.TotalWeight);
        if (!(totalWeight > 0))
        {
            throw new ArgumentException("The blocks hold no weight.", nameof(blocks));
        }

        var workspace = new LossWorkspace(LinearLoss.Blocks(options.Objective, options.Classes));
        var lbfgs = new LbfgsOptions
        {
            Memory = options.Memory,
            MaxIterations = options.MaxIterations,
            Tolerance = options.Tolerance,
            MaxLineSearchSteps = options.MaxLineSearchSteps,
            L1Weights = options.L1 > 0 ? PenaltyWeights(width, count, options.L1) : null,
        };
        var state = LbfgsOptimizer.Start(start ?? new double[count], lbfgs);
        var curve = new List<double>();
        var gradient = new double[count];
        while (!state.IsDone)
        {
            var point = LbfgsOptimizer.NextPoint(state);
            Array.Clear(gradient);
            var loss = 0.0;
            foreach (var block in blocks)
            {
                loss += LinearLoss.Accumulate(options.Objective, block, options.Classes, point, gradient, workspace);
            }

            var f = Finish(loss, gradient, point, totalWeight, width, options.L2, options.FitIntercept);
            LbfgsOptimizer.Tell(state, f, gradient);
            if (curve.Count == 0 || state.IterationCompleted)
            {
                curve.Add(state.F);
            }
        }

        return new LinearFit(state.X.ToArray(), state.F, state.Iteration, state.Evaluations, curve, state.Converged, state.StopReason!);
    }

    /// <summary>
    /// Turns summed loss and gradient into the smooth objective: divides by the total weight, adds
    /// L2/2·‖β‖² (intercepts excluded) and, without an intercept, zeroes the intercept gradient so it stays 0.
    /// </summary>
    public static double Finish(double lossSum, Span<double> gradient, ReadOnlySpan<double> coefficients, double totalWeight, int width, double l2, bool fitIntercept)
    {
        var stride = width + 1;
        var f = lossSum / totalWeight;
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] /= totalWeight;
            if (i % stride == width)
            {
                if (!fitIntercept)
                {
                    gradient[i] = 0;
                }
            }
            else if (l2 > 0)
            {
                f += 0.5 * l2 * coefficients[i] * coefficients[i];
                gradient[i] += l2 * coefficients[i];
            }
        }

        return f;
    }

    /// <summary>L1 strength per coordinate: <paramref name="l1"/> for weights, 0 for intercepts.</summary>
    public static double[] PenaltyWeights(int width, int count, double l1)
    {
        var weights = new double[count];
        for (var i = 0; i < count; i++)
        {
            weights[i] = i % (width + 1) == width ? 0 : l1;
        }

        return weights;
    }
}
