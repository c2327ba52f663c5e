using System.Numerics.Tensors;

namespace Granary.Core.Optimization;

/// <summary>
/// L-BFGS, or OWL-QN (Andrew &amp; Gao 2007) when L1 weights are set, as an ask/tell state machine: the caller
/// evaluates the smooth objective f and its gradient at <see cref="NextPoint"/> (possibly by summing over many
/// remote chunks) and reports them with <see cref="Tell"/>. All state lives in <see cref="OptimizerState"/>.
/// L-BFGS uses a bracketing line search for the weak Wolfe conditions (Armijo c1 = 1e-4, curvature c2 = 0.9);
/// OWL-QN backtracks (halving) along the orthant-projected path with the Armijo rule on the pseudo-gradient.
/// </summary>
public static class LbfgsOptimizer
{
    private const double ArmijoC1 = 1e-4;
    private const double CurvatureC2 = 0.9;

    public static OptimizerState Start(double[] x0, LbfgsOptions options)
    {
        ArgumentNullException.ThrowIfNull(x0);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(x0.Length);
        var state = new OptimizerState(options, x0.Length) { Phase = OptimizerPhase.Start };
        x0.CopyTo(state.XArray);
        return state;
    }

    /// <summary>The point whose smooth f and gradient must be told next; empty once the run is done.</summary>
    public static ReadOnlySpan<double> NextPoint(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Phase switch
        {
            OptimizerPhase.Start => state.XArray,
            OptimizerPhase.LineSearch => state.Trial,
            _ => ReadOnlySpan<double>.Empty,
        };
    }

    /// <summary>Reports the smooth objective (loss + L2) and its gradient at the last <see cref="NextPoint"/>.</summary>
    public static void Tell(OptimizerState state, double f, ReadOnlySpan<double> g)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.IsDone)
        {
            throw new InvalidOperationException("The optimizer has stopped; nothing was asked.");
        }

        if (g.Length != state.Dimension)
        {
            throw new ArgumentException($"The gradient has {g.Length} entries; expected {state.Dimension}.", nameof(g));
        }

        state.Evaluations++;
        state.IterationCompleted = false;
        if (state.Phase == OptimizerPhase.Start)
        {
            TellStart(state, f, g);
        }
        else
        {
            TellTrial(state, f, g);
        }
    }

    /// <summary>Runs the whole minimisation locally: for tests and small problems.</summary>
    public static OptimizerState Minimize(Func<double[], (double F, double[] G)> evaluate, double[] x0, LbfgsOptions options)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        var state = Start(x0, options);
        Run(state, evaluate);
        return state;
    }

    /// <summary>Continues a (possibly deserialised) run to the end.</summary>
    public static void Run(OptimizerState state, Func<double[], (double F, double[] G)> evaluate)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(evaluate);
        while (!state.IsDone)
        {
            var (f, g) = evaluate(NextPoint(state).ToArray());
            Tell(state, f, g);
        }
    }

    private static void TellStart(OptimizerState state, double f, ReadOnlySpan<double> g)
    {
        if (!double.IsFinite(f))
        {
            Stop(state, "non-finite-start", converged: false);
            return;
        }

        g.CopyTo(state.GArray);
        state.F = f + QuasiNewtonMath.L1Term(state.Options, state.XArray);
        QuasiNewtonMath.ComputePseudoGradient(state);
        if (GradientSmall(state))
        {
            Stop(state, "gradient", converged: true);
            return;
        }

        if (state.Options.MaxIterations == 0)
        {
            Stop(state, "max-iterations", converged: false);
            return;
        }

        BeginIteration(state);
    }

    private static void TellTrial(OptimizerState state, double f, ReadOnlySpan<double> g)
    {
        var owl = state.Options.UsesL1;
        var trialF = f + QuasiNewtonMath.L1Term(state.Options, state.Trial);
        bool accept;
        var armijoHeld = false;
        if (owl)
        {
            // Armijo on the projected path: F(x') ≤ F(x) + c1·pg·(x' − x).
            var decrease = 0.0;
            for (var i = 0; i < state.Dimension; i++)
            {
                decrease += state.PseudoGradient[i] * (state.Trial[i] - state.XArray[i]);
            }

            accept = trialF <= state.F + (ArmijoC1 * decrease);
            if (!accept)
            {
                state.StepHigh = state.Step;
                state.Step *= 0.5;
            }
        }
        else
        {
            armijoHeld = trialF <= state.F + (ArmijoC1 * state.Step * state.InitialSlope);
            accept = WolfeStep(state, trialF, TensorPrimitives.Dot(g, state.Direction));
        }

        if (accept)
        {
            Accept(state, trialF, g);
            return;
        }

        state.LineSearchStep++;
        if (state.LineSearchStep >= state.Options.MaxLineSearchSteps)
        {
            // A point with sufficient decrease is still progress, even if the curvature condition failed.
            if (armijoHeld)
            {
                Accept(state, trialF, g);
                return;
            }

            LineSearchFailed(state);
            return;
        }

        QuasiNewtonMath.ComputeTrial(state);
    }

    /// <summary>
    /// One bracketing step for the weak Wolfe conditions (Lewis–Overton style): shrink on Armijo failure,
    /// grow or bisect when the slope is still too negative. Returns true when the trial is accepted.
    /// </summary>
    private static bool WolfeStep(OptimizerState state, double trialF, double slope)
    {
        var step = state.Step;
        var armijo = trialF <= state.F + (ArmijoC1 * step * state.InitialSlope);
        if (!armijo)
        {
            state.StepHigh = step;
            if (state.StepLow == 0 && double.IsFinite(trialF))
            {
                // Minimiser of the quadratic through f(0), f'(0) and f(step), kept inside [0.1, 0.5]·step.
                var denominator = 2 * (trialF - state.F - (state.InitialSlope * step));
                var quadratic = denominator > 0 ? -state.InitialSlope * step * step / denominator : 0.5 * step;
                state.Step = Math.Clamp(quadratic, 0.1 * step, 0.5 * step);
            }
            else
            {
                state.Step = 0.5 * (state.StepLow + state.StepHigh);
            }

            return false;
        }

        if (slope < CurvatureC2 * state.InitialSlope)
        {
            state.StepLow = step;
            state.Step = double.IsPositiveInfinity(state.StepHigh) ? 2 * step : 0.5 * (state.StepLow + state.StepHigh);
            return false;
        }

        return true;
    }

    private static void Accept(OptimizerState state, double trialF, ReadOnlySpan<double> g)
    {
        var n = state.Dimension;
        var memory = state.Options.Memory;
        var slot = state.HistoryNext;
        var s = state.S[slot];
        var y = state.Y[slot];

        // Write into the next slot only after the pair is known to be usable: the slot may hold the oldest pair.
        double sy = 0, yy = 0;
        for (var i = 0; i < n; i++)
        {
            var si = state.Trial[i] - state.XArray[i];
            var yi = g[i] - state.GArray[i];
            sy += si * yi;
            yy += yi * yi;
        }

        if (sy > 1e-10 * yy && yy > 0)
        {
            for (var i = 0; i < n; i++)
            {
                s[i] = state.Trial[i] - state.XArray[i];
                y[i] = g[i] - state.GArray[i];
            }

            state.Rho[slot] = 1.0 / sy;
            state.HistoryNext = (slot + 1) % memory;
            state.HistoryCount = Math.Min(state.HistoryCount + 1, memory);
        }

        var previousF = state.F;
        state.Trial.CopyTo(state.XArray, 0);
        g.CopyTo(state.GArray);
        state.F = trialF;
        state.Iteration++;
        state.IterationCompleted = true;
        QuasiNewtonMath.ComputePseudoGradient(state);

        if (GradientSmall(state))
        {
            Stop(state, "gradient", converged: true);
        }
        else if (previousF - trialF <= state.Options.Tolerance * Math.Max(Math.Max(Math.Abs(previousF), Math.Abs(trialF)), 1.0))
        {
            Stop(state, "function", converged: true);
        }
        else if (state.Iteration >= state.Options.MaxIterations)
        {
            Stop(state, "max-iterations", converged: false);
        }
        else
        {
            BeginIteration(state);
        }
    }

    private static void LineSearchFailed(OptimizerState state)
    {
        if (state.HistoryCount > 0)
        {
            // The quasi-Newton model misled us: forget it and retry from steepest descent.
            state.HistoryCount = 0;
            state.HistoryNext = 0;
            BeginIteration(state);
            return;
        }

        Stop(state, "line-search-failed", converged: false);
    }

    private static void BeginIteration(OptimizerState state)
    {
        var owl = state.Options.UsesL1;
        var v = owl ? state.PseudoGradient : state.GArray;
        QuasiNewtonMath.TwoLoop(state, v);
        if (owl)
        {
            QuasiNewtonMath.ConstrainDirection(state);
        }

        var slope = TensorPrimitives.Dot(v, state.Direction);
        if (!(slope < 0) && state.HistoryCount > 0)
        {
            state.HistoryCount = 0;
            state.HistoryNext = 0;
            QuasiNewtonMath.TwoLoop(state, v);
            slope = TensorPrimitives.Dot(v, state.Direction);
        }

        if (!(slope < 0))
        {
            Stop(state, "no-descent-direction", converged: false);
            return;
        }

        state.InitialSlope = slope;
        state.Step = state.HistoryCount == 0 ? Math.Min(1.0, 1.0 / TensorPrimitives.Norm(state.Direction)) : 1.0;
        state.StepLow = 0;
        state.StepHigh = double.PositiveInfinity;
        state.LineSearchStep = 0;
        state.Phase = OptimizerPhase.LineSearch;
        QuasiNewtonMath.ComputeTrial(state);
    }

    private static bool GradientSmall(OptimizerState state) =>
        TensorPrimitives.Norm(state.PseudoGradient) <= state.Options.Tolerance * Math.Max(1.0, TensorPrimitives.Norm(state.XArray));

    private static void Stop(OptimizerState state, string reason, bool converged)
    {
        state.StopReason = reason;
        state.Converged = converged;
        state.Phase = OptimizerPhase.Done;
    }
}
