namespace Granary.Core.Evaluation;

/// <summary>
/// Final evaluation figures of one model on one dataset, ready for System.Text.Json (undefined figures are
/// null, never NaN, since JSON has no NaN). Exactly one of the two parts is set.
/// </summary>
public sealed record EvaluationReport(ClassificationReport? Classification, RegressionReport? Regression)
{
    public static EvaluationReport For(ClassificationReport classification) => new(classification, null);

    public static EvaluationReport For(RegressionReport regression) => new(null, regression);
}
