using System.Buffers;
using System.Numerics.Tensors;
using Granary.Core.Data;

namespace Granary.Core.Inference;

/// <summary>
/// Scores a whole <see cref="Frame"/> column by column: per tile of rows, margins start at the intercept and
/// each numeric column (imputed into a scratch tile) is added with one vectorised multiply-add per class
/// block; categorical columns add their level's coefficient per row. Scratch space is pooled, so a call
/// allocates nothing once the pool is warm.
/// </summary>
internal static class BatchScorer
{
    private const int TileRows = 1024;

    public static void Score(LinearPredictor predictor, Frame frame, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var rows = frame.RowCount;
        var outputs = predictor.OutputCount;
        if (output.Length < (long)rows * outputs)
        {
            throw new ArgumentException($"The output needs {(long)rows * outputs} values ({rows} rows × {outputs}), got {output.Length}.", nameof(output));
        }

        var columns = Resolve(predictor, frame);
        var blocks = predictor.Blocks;
        var length = ((blocks + 1) * TileRows) + blocks;
        var rented = ArrayPool<double>.Shared.Rent(length);
        try
        {
            var scratch = rented.AsSpan(blocks * TileRows, TileRows);
            var rowMargins = rented.AsSpan((blocks + 1) * TileRows, blocks);
            for (var start = 0; start < rows; start += TileRows)
            {
                var count = Math.Min(TileRows, rows - start);
                for (var k = 0; k < blocks; k++)
                {
                    rented.AsSpan(k * TileRows, count).Fill(predictor.Intercept(k));
                }

                for (var j = 0; j < predictor.NumericCount; j++)
                {
                    var values = scratch[..count];
                    ReadNumeric(columns[j], predictor.Means[j], start, values);
                    for (var k = 0; k < blocks; k++)
                    {
                        var margins = rented.AsSpan(k * TileRows, count);
                        TensorPrimitives.MultiplyAdd(values, predictor.NumericWeight(k, j), margins, margins);
                    }
                }

                for (var c = 0; c < predictor.CategoricalCount; c++)
                {
                    AddCategorical(predictor, c, columns[predictor.NumericCount + c], start, count, rented);
                }

                for (var i = 0; i < count; i++)
                {
                    for (var k = 0; k < blocks; k++)
                    {
                        rowMargins[k] = rented[(k * TileRows) + i];
                    }

                    LinearPredictor.Transform(predictor.Objective, rowMargins, output.Slice((start + i) * outputs, outputs));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static Column[] Resolve(LinearPredictor predictor, Frame frame)
    {
        var columns = new Column[predictor.FeatureCount];
        for (var f = 0; f < columns.Length; f++)
        {
            var name = predictor.FeatureName(f);
            var index = frame.Schema.IndexOf(name);
            if (index < 0)
            {
                throw new ArgumentException($"Column '{name}' is not in the data.", nameof(frame));
            }

            var column = frame.Columns[index];
            var numeric = predictor.KindOf(f) == FeatureKind.Numeric;
            if (numeric ? column is StringColumn : column is TimestampColumn)
            {
                throw new ArgumentException(
                    $"{(numeric ? "Numeric" : "Categorical")} feature '{name}' cannot be read from a {column.Type} column.", nameof(frame));
            }

            columns[f] = column;
        }

        return columns;
    }

    private static void ReadNumeric(Column column, double mean, int start, Span<double> values)
    {
        switch (column)
        {
            case NumericColumn n:
                n.Values.AsSpan(start, values.Length).CopyTo(values);
                for (var i = 0; i < values.Length; i++)
                {
                    if (double.IsNaN(values[i]))
                    {
                        values[i] = mean;
                    }
                }

                return;
            case BooleanColumn b:
                var bytes = b.Values.AsSpan(start, values.Length);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = bytes[i] == BooleanColumn.Missing ? mean : bytes[i];
                }

                return;
            case TimestampColumn t:
                var ticks = t.Values.AsSpan(start, values.Length);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = ticks[i] == TimestampColumn.Missing ? mean : ticks[i];
                }

                return;
            default:
                throw new ArgumentException($"Column '{column.Name}' of type {column.Type} cannot be read as a number.");
        }
    }

    private static void AddCategorical(LinearPredictor predictor, int categorical, Column column, int start, int count, double[] margins)
    {
        var index = predictor.LevelIndex(categorical);
        var other = predictor.OtherLevel(categorical);
        for (var i = 0; i < count; i++)
        {
            var row = start + i;
            var level = column switch
            {
                StringColumn s => s.Values[row] is { } text ? index.Find(text) : other,
                BooleanColumn b => b.Values[row] == BooleanColumn.Missing ? other : index.Find(b.Values[row] == 1),
                NumericColumn n => double.IsNaN(n.Values[row]) ? other : index.Find(n.Values[row]),
                _ => throw new ArgumentException($"Column '{column.Name}' of type {column.Type} cannot be read as a category."),
            };
            if (level < 0)
            {
                level = other;
            }

            for (var k = 0; k < predictor.Blocks; k++)
            {
                margins[(k * TileRows) + i] += predictor.LevelWeights(k, categorical)[level];
            }
        }
    }
}
