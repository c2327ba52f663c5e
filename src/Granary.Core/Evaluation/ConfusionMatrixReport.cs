namespace Granary.Core.Evaluation;

/// <summary>Weighted confusion matrix: Matrix[actual][predicted], both indexed like <see cref="Labels"/>.</summary>
public sealed record ConfusionMatrixReport(IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<double>> Matrix);
