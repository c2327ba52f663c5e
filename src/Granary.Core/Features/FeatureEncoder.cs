using System.Numerics.Tensors;
using System.Globalization;
using Granary.Core.Data;
using Granary.Core.Linear;

namespace Granary.Core.Features;

/// <summary>
/// Turns one chunk (<see cref="Frame"/>) into design matrices by a <see cref="FeatureSpec"/>. Rows with a
/// missing label are dropped. Output arrays are sized exactly once per chunk and filled column by column;
/// nothing is allocated per row (numeric values are matched as text through a stack buffer).
/// </summary>
public static class FeatureEncoder
{
    private const byte Dropped = 0;
    private const byte TrainRow = 1;
    private const byte ValidationRow = 2;

    public static (DesignMatrix Train, DesignMatrix? Validation, long DroppedRows) Encode(
        Frame frame, FeatureSpec spec, ValidationSplit? split)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(spec);
        if (split is not null && !(split.Fraction >= 0 && split.Fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(split), $"The validation fraction {split.Fraction} is not in [0, 1].");
        }

        var rows = frame.RowCount;
        var labels = new double[rows];
        ReadLabels(frame, spec, labels);

        var side = new byte[rows];
        int trainCount = 0, validationCount = 0;
        var prefix = split?.Prefix() ?? 0;
        for (var r = 0; r < rows; r++)
        {
            if (double.IsNaN(labels[r]))
            {
                continue;
            }

            if (split is not null && split.Contains(ValidationSplit.Uniform(prefix, r)))
            {
                side[r] = ValidationRow;
                validationCount++;
            }
            else
            {
                side[r] = TrainRow;
                trainCount++;
            }
        }

        var width = spec.Width;
        var train = Allocate(width, trainCount);
        var validation = split is null ? null : Allocate(width, validationCount);
        var j = 0;
        foreach (var feature in spec.Numeric)
        {
            EncodeNumeric(Column(frame, feature.Column), feature, side, train[j], validation?[j]);
            j++;
        }

        foreach (var feature in spec.Categorical)
        {
            EncodeCategorical(Column(frame, feature.Column), feature, side, train, validation, j);
            j += feature.Levels.Length + 1;
        }

        var trainMatrix = Finish(train, trainCount, labels, side, TrainRow, spec.ClassWeights);
        var validationMatrix = validation is null ? null : Finish(validation, validationCount, labels, side, ValidationRow, spec.ClassWeights);
        return (trainMatrix, validationMatrix, rows - trainCount - validationCount);
    }

    private static double[][] Allocate(int width, int rows)
    {
        var columns = new double[width][];
        for (var j = 0; j < width; j++)
        {
            columns[j] = new double[rows];
        }

        return columns;
    }

    private static DesignMatrix Finish(double[][] columns, int count, double[] labels, byte[] side, byte which, double[]? classWeights)
    {
        var y = new double[count];
        var w = classWeights is null ? null : new double[count];
        var i = 0;
        for (var r = 0; r < side.Length; r++)
        {
            if (side[r] != which)
            {
                continue;
            }

            y[i] = labels[r];
            if (w is not null)
            {
                var c = (int)labels[r];
                w[i] = (uint)c < (uint)classWeights!.Length ? classWeights[c] : 1.0;
            }

            i++;
        }

        return new DesignMatrix(count, columns, y, w);
    }

    private static Column Column(Frame frame, string name)
    {
        var index = frame.Schema.IndexOf(name);
        return index >= 0 ? frame.Columns[index] : throw new ArgumentException($"Column '{name}' is not in the data.");
    }

    /// <summary>Fills <paramref name="labels"/> with the target per row, NaN where the label is missing.</summary>
    private static void ReadLabels(Frame frame, FeatureSpec spec, double[] labels)
    {
        var column = Column(frame, spec.LabelColumn);
        if (spec.LabelKind == LabelKind.Regression)
        {
            switch (column)
            {
                case NumericColumn n:
                    n.Span.CopyTo(labels);
                    return;
                case BooleanColumn b:
                    for (var r = 0; r < labels.Length; r++)
                    {
                        labels[r] = b.Values[r] == BooleanColumn.Missing ? double.NaN : b.Values[r];
                    }

                    return;
                default:
                    throw new ArgumentException($"Regression label '{column.Name}' must be numeric or boolean, not {column.Type}.");
            }
        }

        var classes = spec.Classes ?? throw new ArgumentException("A classification label needs Classes.");
        var index = new CategoryIndex(classes);
        for (var r = 0; r < labels.Length; r++)
        {
            if (column.IsMissing(r))
            {
                labels[r] = double.NaN;
                continue;
            }

            var c = index.Find(column, r);
            if (c < 0)
            {
                throw new InvalidDataException(
                    $"Label value '{Convert.ToString(column.GetValue(r), CultureInfo.InvariantCulture)}' in column '{column.Name}' " +
                    $"is not one of the classes [{string.Join(", ", classes)}].");
            }

            labels[r] = c;
        }
    }

    private static void EncodeNumeric(Column column, NumericFeature feature, byte[] side, double[] train, double[]? validation)
    {
        var scale = feature.IsScaled ? 1.0 / feature.Std : 1.0;
        var shift = feature.IsScaled ? feature.Mean : 0.0;
        if (column is NumericColumn numeric)
        {
            EncodeNumbers(numeric.Values, feature.Mean, shift, scale, side, train, validation);
            return;
        }

        int t = 0, v = 0;
        for (var r = 0; r < side.Length; r++)
        {
            if (side[r] == Dropped)
            {
                continue;
            }

            var raw = column switch
            {
                NumericColumn n => n.Values[r],
                BooleanColumn b => b.Values[r] == BooleanColumn.Missing ? double.NaN : b.Values[r],
                TimestampColumn ts => ts.Values[r] == TimestampColumn.Missing ? double.NaN : ts.Values[r],
                _ => throw new ArgumentException($"Numeric feature '{column.Name}' cannot be read from a {column.Type} column."),
            };
            var value = ((double.IsNaN(raw) ? feature.Mean : raw) - shift) * scale;
            if (side[r] == TrainRow)
            {
                train[t++] = value;
            }
            else
            {
                validation![v++] = value;
            }
        }
    }

    /// <summary>
    /// The common case, kept tight: numbers, imputed then shifted and scaled. When every row is a training
    /// row (no split, no missing label) it is a copy and two vectorised passes; the arithmetic is the same
    /// (v − shift)·scale either way, so both paths give identical values.
    /// </summary>
    private static void EncodeNumbers(double[] values, double mean, double shift, double scale, byte[] side, double[] train, double[]? validation)
    {
        var rows = side.Length;
        if (validation is null && train.Length == rows)
        {
            var destination = train.AsSpan(0, rows);
            values.AsSpan(0, rows).CopyTo(destination);
            for (var r = 0; r < rows; r++)
            {
                if (double.IsNaN(destination[r]))
                {
                    destination[r] = mean;
                }
            }

            TensorPrimitives.Subtract(destination, shift, destination);
            TensorPrimitives.Multiply(destination, scale, destination);
            return;
        }

        int t = 0, v = 0;
        for (var r = 0; r < rows; r++)
        {
            var which = side[r];
            if (which == Dropped)
            {
                continue;
            }

            var raw = values[r];
            var value = ((double.IsNaN(raw) ? mean : raw) - shift) * scale;
            if (which == TrainRow)
            {
                train[t++] = value;
            }
            else
            {
                validation![v++] = value;
            }
        }
    }

    private static void EncodeCategorical(Column column, CategoricalFeature feature, byte[] side, double[][] train, double[][]? validation, int first)
    {
        if (column is TimestampColumn)
        {
            throw new ArgumentException($"Categorical feature '{column.Name}' cannot be read from a timestamp column.");
        }

        var index = new CategoryIndex(feature.Levels);
        var other = feature.Levels.Length;
        int t = 0, v = 0;
        for (var r = 0; r < side.Length; r++)
        {
            if (side[r] == Dropped)
            {
                continue;
            }

            var level = column.IsMissing(r) ? other : index.Find(column, r);
            if (level < 0)
            {
                level = other;
            }

            if (side[r] == TrainRow)
            {
                train[first + level][t++] = 1.0;
            }
            else
            {
                validation![first + level][v++] = 1.0;
            }
        }
    }
}
