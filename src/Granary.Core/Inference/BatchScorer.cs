using System.Buffers;
using System.Numerics.Tensors;
using Granary.Core.Data;
using Granary.Core.Linear;

namespace Granary.Core.Inference;

/// <summary>
/// Scores a whole <see cref="Frame"/> column by column: per tile of rows, margins start at the intercept and
/// each numeric column (read in place, or imputed into a scratch tile) is added with one vectorised multiply-add per class
/// block; categorical columns add their level's coefficient per row; the link (sigmoid, softmax) is applied
/// to the whole tile. Scratch space is pooled, so a call
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

        var columns = ArrayPool<Column>.Shared.Rent(predictor.FeatureCount);
        Resolve(predictor, frame, columns);
        var blocks = predictor.Blocks;
        var rented = ArrayPool<double>.Shared.Rent((blocks + 2) * TileRows);
        try
        {
            var scratch = rented.AsSpan(blocks * TileRows, TileRows);
            var scratch2 = rented.AsSpan((blocks + 1) * TileRows, TileRows);
            for (var start = 0; start < rows; start += TileRows)
            {
                var count = Math.Min(TileRows, rows - start);
                for (var k = 0; k < blocks; k++)
                {
                    rented.AsSpan(k * TileRows, count).Fill(predictor.Intercept(k));
                }

                for (var j = 0; j < predictor.NumericCount; j++)
                {
                    var values = ReadNumeric(columns[j], predictor.Means[j], start, scratch[..count]);
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

                var destination = output.Slice(start * outputs, count * outputs);
                switch (predictor.Objective)
                {
                    case LinearObjective.Squared:
                        rented.AsSpan(0, count).CopyTo(destination);
                        break;
                    case LinearObjective.Logistic:
                        Logistic(rented.AsSpan(0, count), scratch[..count], scratch2[..count], destination);
                        break;
                    default:
                        Softmax(rented, blocks, count, scratch[..count], destination);
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
            ArrayPool<Column>.Shared.Return(columns, clearArray: true);
        }
    }

    /// <summary>P(classes[0]) = σ(−z) and P(classes[1]) = σ(z), both computed directly, interleaved per row.</summary>
    private static void Logistic(Span<double> margins, Span<double> positive, Span<double> negative, Span<double> destination)
    {
        TensorPrimitives.Sigmoid(margins, positive);
        TensorPrimitives.Negate(margins, margins);
        TensorPrimitives.Sigmoid(margins, negative);
        for (var i = 0; i < margins.Length; i++)
        {
            destination[2 * i] = negative[i];
            destination[(2 * i) + 1] = positive[i];
        }
    }

    /// <summary>Stable softmax over the class blocks of a tile: e^(z_k − max) / Σ, interleaved per row.</summary>
    private static void Softmax(double[] tile, int blocks, int count, Span<double> sum, Span<double> destination)
    {
        var max = sum;
        tile.AsSpan(0, count).CopyTo(max);
        for (var k = 1; k < blocks; k++)
        {
            TensorPrimitives.Max(max, tile.AsSpan(k * TileRows, count), max);
        }

        for (var k = 0; k < blocks; k++)
        {
            var m = tile.AsSpan(k * TileRows, count);
            TensorPrimitives.Subtract(m, max, m);
            TensorPrimitives.Exp(m, m);
        }

        tile.AsSpan(0, count).CopyTo(sum);
        for (var k = 1; k < blocks; k++)
        {
            TensorPrimitives.Add(sum, tile.AsSpan(k * TileRows, count), sum);
        }

        for (var k = 0; k < blocks; k++)
        {
            var m = tile.AsSpan(k * TileRows, count);
            TensorPrimitives.Divide(m, sum, m);
            for (var i = 0; i < count; i++)
            {
                destination[(i * blocks) + k] = m[i];
            }
        }
    }

    private static void Resolve(LinearPredictor predictor, Frame frame, Column[] columns)
    {
        for (var f = 0; f < predictor.FeatureCount; f++)
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
    }

    /// <summary>The tile of a numeric column with missing values imputed: the column itself when none is missing.</summary>
    private static ReadOnlySpan<double> ReadNumeric(Column column, double mean, int start, Span<double> values)
    {
        switch (column)
        {
            case NumericColumn n:
                var source = n.Values.AsSpan(start, values.Length);
                if (!TensorPrimitives.IsNaNAny<double>(source))
                {
                    return source;
                }

                source.CopyTo(values);
                for (var i = 0; i < values.Length; i++)
                {
                    if (double.IsNaN(values[i]))
                    {
                        values[i] = mean;
                    }
                }

                return values;
            case BooleanColumn b:
                var bytes = b.Values.AsSpan(start, values.Length);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = bytes[i] == BooleanColumn.Missing ? mean : bytes[i];
                }

                return values;
            case TimestampColumn t:
                var ticks = t.Values.AsSpan(start, values.Length);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = ticks[i] == TimestampColumn.Missing ? mean : ticks[i];
                }

                return values;
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
