namespace Granary.Core.Evaluation;

/// <summary>
/// One point of the ROC curve: rows with score ≥ <paramref name="Threshold"/> are predicted positive.
/// The origin (nothing predicted positive) has a null threshold, since JSON has no +∞; so has an infinite score.
/// </summary>
public sealed record RocPoint(double FalsePositiveRate, double TruePositiveRate, double? Threshold);
