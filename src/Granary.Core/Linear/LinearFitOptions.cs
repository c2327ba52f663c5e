using Granary.Core.Optimization;

namespace Granary.Core.Linear;

/// <summary>
/// What <see cref="LocalLinearSolver"/> minimises: Σ w·loss / Σ w + L2/2·‖β‖² + L1·‖β‖₁, intercepts unpenalised.
/// </summary>
public sealed class LinearFitOptions
{
    public LinearObjective Objective { get; init; } = LinearObjective.Squared;

    /// <summary>Number of classes (softmax); ignored otherwise.</summary>
    public int Classes { get; init; } = 2;

    public double L1 { get; init; }

    public double L2 { get; init; }

    /// <summary>When false the intercepts stay at zero.</summary>
    public bool FitIntercept { get; init; } = true;

    public int Memory { get; init; } = 10;

    public int MaxIterations { get; init; } = 100;

    public double Tolerance { get; init; } = 1e-6;

    public int MaxLineSearchSteps { get; init; } = 20;
}
