namespace Granary.Core.Linear;

/// <summary>The result of <see cref="LocalLinearSolver.Fit"/>.</summary>
public sealed record LinearFit(
    double[] Coefficients,
    double Loss,
    int Iterations,
    int Evaluations,
    IReadOnlyList<double> LossCurve,
    bool Converged,
    string StopReason);
