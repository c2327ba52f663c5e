namespace Granary.Core.Optimization;

/// <summary>
/// Settings for <see cref="LbfgsOptimizer"/>. Stopping rules, checked after every completed iteration
/// (the gradient rule also at the start point):
/// <list type="bullet">
/// <item>"gradient": ‖pg‖₂ ≤ Tolerance·max(1, ‖x‖₂), where pg is the gradient (OWL-QN: the pseudo-gradient of f + L1);</item>
/// <item>"function": (F_prev − F) ≤ Tolerance·max(|F_prev|, |F|, 1), F the full objective including L1;</item>
/// <item>"max-iterations": Iteration ≥ MaxIterations.</item>
/// </list>
/// The first two set <see cref="OptimizerState.Converged"/>; any of them ends the run.
/// </summary>
public sealed class LbfgsOptions
{
    /// <summary>Number of (s, y) correction pairs kept.</summary>
    public int Memory { get; init; } = 10;

    public int MaxIterations { get; init; } = 100;

    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Evaluations allowed per line search before the direction is abandoned.</summary>
    public int MaxLineSearchSteps { get; init; } = 20;

    /// <summary>Per-coordinate L1 strengths (0 for intercepts). Any positive entry switches to OWL-QN.</summary>
    public double[]? L1Weights { get; init; }

    /// <summary>True when OWL-QN is used.</summary>
    public bool UsesL1 => L1Weights is not null && Array.Exists(L1Weights, w => w > 0);

    internal void Validate(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Memory, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxIterations);
        ArgumentOutOfRangeException.ThrowIfNegative(Tolerance);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineSearchSteps, 1);
        if (L1Weights is not null)
        {
            if (L1Weights.Length != dimension)
            {
                throw new ArgumentException($"L1Weights has {L1Weights.Length} entries; the problem has {dimension} coordinates.");
            }

            if (Array.Exists(L1Weights, w => !(w >= 0) || double.IsInfinity(w)))
            {
                throw new ArgumentException("L1 weights must be finite and non-negative.");
            }
        }
    }
}
