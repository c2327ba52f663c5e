namespace Granary.Core.Evaluation;

/// <summary>Macro or micro averaged precision, recall and F1.</summary>
public sealed record AveragedMetrics(double Precision, double Recall, double F1);
