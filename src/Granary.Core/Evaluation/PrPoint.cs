namespace Granary.Core.Evaluation;

/// <summary>One point of the precision–recall curve at a distinct score threshold (score ≥ threshold is positive); an infinite threshold is null.</summary>
public sealed record PrPoint(double Recall, double Precision, double? Threshold);
