using System.Text.Json;
using Granary.Storage.Evaluations;

namespace Granary.Server.Evaluation;

/// <summary>The plots of a stored evaluation, drawn from its reports: every model on ROC/PR/calibration, one model on confusion/residuals.</summary>
public static class EvaluationPlots
{
    public static readonly IReadOnlyList<string> Kinds = ["roc", "pr", "calibration", "confusion", "residuals"];

    /// <summary>The SVG, or null with the reason (the kind does not apply to these models).</summary>
    public static (string? Svg, string? Error) Draw(EvaluationRecord evaluation, string kind, int modelIndex)
    {
        var reports = evaluation.Models.Select(m => (Name: $"{m.Model}@{m.Version}", Report: JsonDocument.Parse(m.ReportJson).RootElement)).ToList();
        var classified = reports.Where(r => r.Report.TryGetProperty("classification", out var c) && c.ValueKind == JsonValueKind.Object).ToList();
        switch (kind)
        {
            case "roc":
            case "pr":
            case "calibration":
                var series = classified.Select(r => new SvgChart.Series(r.Name, Points(r.Report.GetProperty("classification"), kind))).Where(s => s.Points.Count > 0).ToList();
                if (series.Count == 0)
                {
                    return (null, $"No binary classification report in this evaluation has a {kind} curve.");
                }

                return kind switch
                {
                    "roc" => (SvgChart.Lines($"ROC — {evaluation.Dataset}", "false positive rate", "true positive rate", series, diagonal: true), null),
                    "pr" => (SvgChart.Lines($"Precision–recall — {evaluation.Dataset}", "recall", "precision", series, diagonal: false), null),
                    _ => (SvgChart.Lines($"Calibration — {evaluation.Dataset}", "mean predicted probability", "observed rate", series, diagonal: true), null),
                };
            case "confusion":
                if (modelIndex >= reports.Count || !reports[modelIndex].Report.TryGetProperty("classification", out var classification) || classification.ValueKind != JsonValueKind.Object)
                {
                    return (null, "That model has no classification report.");
                }

                var confusion = classification.GetProperty("confusion");
                var labels = confusion.GetProperty("labels").EnumerateArray().Select(l => l.GetString() ?? string.Empty).ToList();
                var matrix = confusion.GetProperty("matrix").EnumerateArray().Select(r => (IReadOnlyList<double>)r.EnumerateArray().Select(v => v.GetDouble()).ToList()).ToList();
                return (SvgChart.Heatmap($"Confusion — {reports[modelIndex].Name} on {evaluation.Dataset}", labels, matrix), null);
            default:
                if (modelIndex >= reports.Count || !reports[modelIndex].Report.TryGetProperty("regression", out var regression) || regression.ValueKind != JsonValueKind.Object)
                {
                    return (null, "That model has no regression report.");
                }

                var bins = regression.GetProperty("residualHistogram").EnumerateArray()
                    .Where(b => b.GetProperty("lower").ValueKind == JsonValueKind.Number && b.GetProperty("upper").ValueKind == JsonValueKind.Number)
                    .Select(b => (b.GetProperty("lower").GetDouble(), b.GetProperty("upper").GetDouble(), b.GetProperty("weight").GetDouble()))
                    .ToList();
                return (SvgChart.Histogram($"Residuals — {reports[modelIndex].Name} on {evaluation.Dataset}", "prediction − label", bins), null);
        }
    }

    private static List<(double X, double Y)> Points(JsonElement classification, string kind)
    {
        var (property, x, y) = kind switch
        {
            "roc" => ("rocCurve", "falsePositiveRate", "truePositiveRate"),
            "pr" => ("prCurve", "recall", "precision"),
            _ => ("calibration", "meanPredicted", "observedRate"),
        };
        if (!classification.TryGetProperty(property, out var curve) || curve.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return curve.EnumerateArray()
            .Where(p => p.GetProperty(x).ValueKind == JsonValueKind.Number && p.GetProperty(y).ValueKind == JsonValueKind.Number)
            .Select(p => (p.GetProperty(x).GetDouble(), p.GetProperty(y).GetDouble()))
            .ToList();
    }
}
