namespace Granary.Core.Evaluation;

/// <summary>Regression figures; residual = prediction − label. Null where undefined (no weight; R² with constant labels).</summary>
public sealed record RegressionReport(
    long Rows,
    double TotalWeight,
    double? Rmse,
    double? Mae,
    double? R2,
    double? MeanResidual,
    double? MinResidual,
    double? MaxResidual,
    IReadOnlyList<HistogramBinReport> ResidualHistogram)
{
    public static RegressionReport From(RegressionResiduals residuals)
    {
        ArgumentNullException.ThrowIfNull(residuals);
        var bins = new List<HistogramBinReport>(residuals.Bins + 2) { new(null, residuals.Lower, residuals.Underflow) };
        for (var b = 0; b < residuals.Bins; b++)
        {
            bins.Add(new HistogramBinReport(residuals.BinLower(b), residuals.BinUpper(b), residuals.BinWeight(b)));
        }

        bins.Add(new HistogramBinReport(residuals.Upper, null, residuals.Overflow));
        var any = residuals.TotalWeight > 0;
        return new RegressionReport(
            residuals.Rows,
            residuals.TotalWeight,
            residuals.Rmse,
            residuals.Mae,
            residuals.R2,
            residuals.MeanResidual,
            any ? residuals.MinResidual : null,
            any ? residuals.MaxResidual : null,
            bins);
    }
}
