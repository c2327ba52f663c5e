using System.Text.Json;
using Granary.Core.Evaluation;

namespace Granary.Core.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Binary_JsonRoundTrip_KeepsFigures()
    {
        double[] p = [0.1, 0.4, 0.35, 0.8, 0.65, 0.2];
        double[] y = [0, 0, 1, 1, 1, 0];
        var scores = BinaryScores.FromChunk(p, y);
        var report = EvaluationReport.For(ClassificationReport.FromBinary(scores, CalibrationBins.FromChunk(p, y), ["no", "yes"]));

        var json = JsonSerializer.Serialize(report, Json);
        var copy = JsonSerializer.Deserialize<EvaluationReport>(json, Json)!;

        Assert.Contains("\"rocAuc\":", json);
        Assert.Equal(scores.RocAuc(), copy.Classification!.RocAuc);
        Assert.Equal(5.0 / 6, copy.Classification.Accuracy!.Value, 1e-15);
        Assert.Equal(["no", "yes"], copy.Classification.Confusion.Labels);
        Assert.Equal(2.0, copy.Classification.Confusion.Matrix[1][1]); // 0.8 and 0.65 ≥ 0.5
        Assert.Equal(report.Classification!.RocCurve.Count, copy.Classification.RocCurve.Count);
        Assert.Null(copy.Classification.RocCurve[0].Threshold);
        Assert.Equal(10, copy.Classification.Calibration.Count);
        Assert.Equal(scores.LogLoss, copy.Classification.LogLoss);
    }

    [Fact]
    public void Binary_AllPositive_UndefinedFiguresSerializeAsNull()
    {
        var scores = BinaryScores.FromChunk([0.2, 0.9], [1, 1]);
        var report = EvaluationReport.For(ClassificationReport.FromBinary(scores));

        var json = JsonSerializer.Serialize(report, Json);

        Assert.Contains("\"rocAuc\":null", json);
        Assert.Null(report.Classification!.RocAuc);
    }

    [Fact]
    public void Regression_Json_HasOpenEndedOuterBins()
    {
        var residuals = RegressionResiduals.ForLabelStd(1, bins: 8);
        residuals.AddChunk([0.0, 10.0, -10.0], [0.1, 0.0, 0.0]);
        var report = EvaluationReport.For(RegressionReport.From(residuals));

        var copy = JsonSerializer.Deserialize<EvaluationReport>(JsonSerializer.Serialize(report, Json), Json)!;

        Assert.Equal(10, copy.Regression!.ResidualHistogram.Count);
        Assert.Equal(new HistogramBinReport(null, -4, 1), copy.Regression.ResidualHistogram[0]);
        Assert.Equal(new HistogramBinReport(4, null, 1), copy.Regression.ResidualHistogram[^1]);
        Assert.Equal(residuals.Rmse, copy.Regression.Rmse);
    }

    [Fact]
    public void Binary_InfiniteMarginScores_SerializeWithNullThresholds()
    {
        var scores = BinaryScores.FromChunk([double.NegativeInfinity, 0.0, double.PositiveInfinity], [0, 1, 1]);
        var report = ClassificationReport.FromBinary(scores, threshold: 0);

        var json = JsonSerializer.Serialize(report, Json);

        Assert.Equal(1.0, report.RocAuc);
        Assert.Null(report.PrCurve[0].Threshold);
        Assert.Null(report.LogLoss);
        Assert.Contains("\"logLoss\":null", json);
    }
}
