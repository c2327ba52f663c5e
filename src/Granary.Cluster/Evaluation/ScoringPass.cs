using Granary.Core.Data;
using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Cluster.Evaluation;

/// <summary>A chunk's rows with the model's predictions appended as columns.</summary>
public static class ScoringPass
{
    public const string PredictionColumn = "prediction";

    public static string ProbabilityColumn(string label) => "probability_" + label;

    public static Frame Score(LinearPredictor predictor, Frame frame)
    {
        var outputs = new double[frame.RowCount * predictor.OutputCount];
        predictor.PredictBatch(frame, outputs);
        var columns = new List<Column>(frame.Columns);
        var schema = new List<ColumnSchema>(frame.Schema.Columns);
        var k = predictor.OutputCount;
        if (predictor.Objective == LinearObjective.Squared || predictor.Classes is null)
        {
            columns.Add(new NumericColumn(PredictionColumn, outputs));
            schema.Add(new ColumnSchema(PredictionColumn, ColumnType.Numeric));
        }
        else
        {
            var classes = predictor.Classes;
            var labels = new string?[frame.RowCount];
            for (var r = 0; r < frame.RowCount; r++)
            {
                var best = 0;
                for (var c = 1; c < k; c++)
                {
                    best = outputs[(r * k) + c] > outputs[(r * k) + best] ? c : best;
                }

                labels[r] = classes[best];
            }

            columns.Add(new StringColumn(PredictionColumn, labels));
            schema.Add(new ColumnSchema(PredictionColumn, ColumnType.String));
            for (var c = 0; c < k; c++)
            {
                var probabilities = new double[frame.RowCount];
                for (var r = 0; r < frame.RowCount; r++)
                {
                    probabilities[r] = outputs[(r * k) + c];
                }

                columns.Add(new NumericColumn(ProbabilityColumn(classes[c]), probabilities));
                schema.Add(new ColumnSchema(ProbabilityColumn(classes[c]), ColumnType.Numeric));
            }
        }

        return new Frame(new DatasetSchema(schema), columns, frame.RowCount);
    }
}
