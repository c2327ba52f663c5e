namespace Granary.Core.Evaluation;

/// <summary>Per-class figures; precision, recall and F1 are 0 when undefined (see <see cref="MulticlassConfusion"/>).</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, double Support);
