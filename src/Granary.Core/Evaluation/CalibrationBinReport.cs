namespace Granary.Core.Evaluation;

/// <summary>One reliability-diagram bin [Lower, Upper); the means are null for an empty bin.</summary>
public sealed record CalibrationBinReport(double Lower, double Upper, double Weight, double? MeanPredicted, double? ObservedRate);
