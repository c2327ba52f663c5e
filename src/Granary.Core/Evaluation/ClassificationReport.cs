namespace Granary.Core.Evaluation;

/// <summary>
/// Classification figures. For binary models the confusion-derived figures use <see cref="Threshold"/>
/// (score ≥ threshold is positive) while the AUCs and curves use every distinct score; for multiclass models
/// the AUCs, curves and threshold are null/empty. Undefined figures are null (see the partial types).
/// </summary>
public sealed record ClassificationReport(
    double? Accuracy,
    IReadOnlyList<ClassMetrics> Classes,
    AveragedMetrics Macro,
    AveragedMetrics Micro,
    double? RocAuc,
    double? PrAuc,
    double? LogLoss,
    double? Threshold,
    ConfusionMatrixReport Confusion,
    IReadOnlyList<RocPoint> RocCurve,
    IReadOnlyList<PrPoint> PrCurve,
    IReadOnlyList<CalibrationBinReport> Calibration)
{
    /// <summary>Binary report; <paramref name="labels"/> names class 0 (negative) then class 1 (positive).</summary>
    public static ClassificationReport FromBinary(BinaryScores scores, CalibrationBins? calibration = null, IReadOnlyList<string>? labels = null, double threshold = 0.5, int maxCurvePoints = 200)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var confusion = MulticlassConfusion.FromBinary(scores.ConfusionAt(threshold), scores.HasLogLoss ? scores.LogLossSum : null);
        var core = FromMulticlass(confusion, labels ?? ["0", "1"], calibration);
        return core with
        {
            RocAuc = scores.RocAuc(),
            PrAuc = scores.PrAuc(),
            Threshold = threshold,
            RocCurve = scores.RocCurve(maxCurvePoints),
            PrCurve = scores.PrCurve(maxCurvePoints),
        };
    }

    /// <summary>Multiclass report; <paramref name="labels"/> names the classes by index (defaults to "0", "1", …).</summary>
    public static ClassificationReport FromMulticlass(MulticlassConfusion confusion, IReadOnlyList<string>? labels = null, CalibrationBins? calibration = null)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var k = confusion.Classes;
        labels ??= Enumerable.Range(0, k).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (labels.Count != k)
        {
            throw new ArgumentException($"Expected {k} class labels, got {labels.Count}.", nameof(labels));
        }

        var classes = new ClassMetrics[k];
        var matrix = new IReadOnlyList<double>[k];
        for (var c = 0; c < k; c++)
        {
            classes[c] = new ClassMetrics(labels[c], confusion.Precision(c), confusion.Recall(c), confusion.F1(c), confusion.Support(c));
            var row = new double[k];
            for (var p = 0; p < k; p++)
            {
                row[p] = confusion[c, p];
            }

            matrix[c] = row;
        }

        var bins = new List<CalibrationBinReport>();
        for (var b = 0; b < (calibration?.Count ?? 0); b++)
        {
            bins.Add(new CalibrationBinReport(calibration!.Lower(b), calibration.Upper(b), calibration.Weight(b), calibration.MeanPredicted(b), calibration.ObservedRate(b)));
        }

        return new ClassificationReport(
            confusion.Accuracy,
            classes,
            new AveragedMetrics(confusion.MacroPrecision, confusion.MacroRecall, confusion.MacroF1),
            new AveragedMetrics(confusion.Micro, confusion.Micro, confusion.Micro),
            null,
            null,
            confusion.LogLoss,
            null,
            new ConfusionMatrixReport(labels.ToArray(), matrix),
            [],
            [],
            bins);
    }
}
