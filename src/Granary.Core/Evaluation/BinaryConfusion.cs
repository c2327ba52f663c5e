namespace Granary.Core.Evaluation;

/// <summary>Weighted 2×2 confusion counts at one threshold; a row is predicted positive when its score ≥ the threshold.</summary>
public sealed record BinaryConfusion(double Threshold, double TruePositive, double FalsePositive, double TrueNegative, double FalseNegative)
{
    public double Total => TruePositive + FalsePositive + TrueNegative + FalseNegative;
}
