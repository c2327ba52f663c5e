using System.Globalization;
using Granary.Core.Data;
using Granary.Core.Evaluation;
using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Cluster.Evaluation;

/// <summary>The data-plane side of an evaluation: score a chunk with one predictor and build its exact partial.</summary>
public static class EvaluationPass
{
    public static ModelPartial Run(LinearPredictor predictor, Frame frame, string labelColumn, double labelStd)
    {
        var index = frame.Schema.IndexOf(labelColumn);
        if (index < 0)
        {
            throw new ArgumentException($"The dataset has no label column '{labelColumn}'.");
        }

        var label = frame.Columns[index];
        var outputs = new double[frame.RowCount * predictor.OutputCount];
        predictor.PredictBatch(frame, outputs);
        if (predictor.Objective == LinearObjective.Squared || predictor.Classes is null)
        {
            var (predictions, labels, skipped) = Regression(label, outputs);
            var residuals = RegressionResiduals.ForLabelStd(labelStd > 0 && double.IsFinite(labelStd) ? labelStd : 1.0);
            residuals.AddChunk(predictions, labels);
            return new ModelPartial("regression", residuals.Serialize(), null, skipped);
        }

        var classes = predictor.Classes;
        var (rows, classOf, dropped) = Classify(label, classes);
        if (classes.Count == 2)
        {
            var scores = new double[rows.Count];
            var labels = new double[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                scores[i] = outputs[(rows[i] * 2) + 1];
                labels[i] = classOf[i];
            }

            return new ModelPartial("binary", BinaryScores.FromChunk(scores, labels).Serialize(), CalibrationBins.FromChunk(scores, labels).Serialize(), dropped);
        }

        var k = classes.Count;
        var probabilities = new double[rows.Count * k];
        var targets = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            outputs.AsSpan(rows[i] * k, k).CopyTo(probabilities.AsSpan(i * k, k));
            targets[i] = classOf[i];
        }

        return new ModelPartial("multiclass", MulticlassConfusion.FromProbabilities(k, probabilities, targets).Serialize(), null, dropped);
    }

    private static (double[] Predictions, double[] Labels, long Skipped) Regression(Column label, double[] outputs)
    {
        var predictions = new List<double>(label.Length);
        var labels = new List<double>(label.Length);
        for (var r = 0; r < label.Length; r++)
        {
            var y = label switch
            {
                NumericColumn n => n.Values[r],
                BooleanColumn b when b.Values[r] != BooleanColumn.Missing => b.Values[r],
                _ => double.NaN,
            };
            if (double.IsFinite(y))
            {
                predictions.Add(outputs[r]);
                labels.Add(y);
            }
        }

        return ([.. predictions], [.. labels], label.Length - labels.Count);
    }

    /// <summary>Rows whose label is one of the classes, with its index; labels read as training read them.</summary>
    private static (List<int> Rows, List<int> ClassOf, long Skipped) Classify(Column label, IReadOnlyList<string> classes)
    {
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < classes.Count; k++)
        {
            lookup[classes[k]] = k;
        }

        var rows = new List<int>(label.Length);
        var classOf = new List<int>(label.Length);
        for (var r = 0; r < label.Length; r++)
        {
            var text = label switch
            {
                NumericColumn n when !double.IsNaN(n.Values[r]) => n.Values[r].ToString(CultureInfo.InvariantCulture),
                BooleanColumn b when b.Values[r] != BooleanColumn.Missing => b.Values[r] == 1 ? "true" : "false",
                StringColumn s => s.Values[r],
                _ => null,
            };
            if (text is not null && lookup.TryGetValue(text, out var k))
            {
                rows.Add(r);
                classOf.Add(k);
            }
        }

        return (rows, classOf, label.Length - rows.Count);
    }
}
