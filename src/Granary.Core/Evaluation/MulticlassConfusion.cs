using Granary.Core.Sketches;

namespace Granary.Core.Evaluation;

/// <summary>
/// Mergeable K×K weighted confusion matrix (rows: actual class, columns: predicted class) plus the log-loss
/// sum; partials merge by plain addition, so the merged figures are exact in any order (up to floating-point
/// addition of non-integer weights).
/// <para>
/// Definitions. Precision of class c is TP/(TP+FP) and 0 when c is never predicted; recall is TP/(TP+FN)
/// and 0 when c has no support; F1 is 2PR/(P+R) and 0 when P+R = 0. Macro averages are unweighted means over
/// the classes that occur (actual or predicted weight &gt; 0), as scikit-learn does by default. Micro
/// precision, recall and F1 all equal accuracy for single-label data. Accuracy and log-loss are null
/// without weight; log-loss is also null when the partial was built from hard predictions.
/// </para>
/// </summary>
public sealed class MulticlassConfusion
{
    private const byte FormatVersion = 1;
    private const double Clip = 1e-15;

    private readonly double[] _matrix;

    public MulticlassConfusion(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        Classes = classes;
        _matrix = new double[classes * classes];
    }

    public int Classes { get; }

    public long Rows { get; private set; }

    public double TotalWeight { get; private set; }

    public double LogLossSum { get; private set; }

    /// <summary>True when every row merged so far came with class probabilities.</summary>
    public bool HasLogLoss { get; private set; } = true;

    /// <summary>Weight of rows of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public double this[int actual, int predicted] => _matrix[(actual * Classes) + predicted];

    public double? Accuracy => TotalWeight > 0 ? Diagonal() / TotalWeight : null;

    public double? LogLoss => HasLogLoss && TotalWeight > 0 ? LogLossSum / TotalWeight : null;

    /// <summary>
    /// Partial from row-major probabilities (rows × classes): the prediction is the arg-max (first class on ties),
    /// the log-loss uses the probability of the actual class clipped to [1e-15, 1 − 1e-15].
    /// Labels are class indices stored as doubles, as in <c>DesignMatrix.Labels</c>.
    /// </summary>
    public static MulticlassConfusion FromProbabilities(int classes, ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        if (probabilities.Length != labels.Length * classes)
        {
            throw new ArgumentException("Probabilities must hold classes × rows values.", nameof(probabilities));
        }

        var result = new MulticlassConfusion(classes);
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            var best = 0;
            for (var k = 0; k < classes; k++)
            {
                if (!(row[k] is >= 0 and <= 1))
                {
                    throw new ArgumentException($"Probability {row[k]} of class {k} at row {i} is outside [0, 1].", nameof(probabilities));
                }

                best = row[k] > row[best] ? k : best;
            }

            var actual = result.Label(labels[i], i);
            var w = Weight(weights, i, labels.Length);
            result._matrix[(actual * classes) + best] += w;
            result.LogLossSum -= w * Math.Log(Math.Clamp(row[actual], Clip, 1 - Clip));
            result.TotalWeight += w;
            result.Rows += w > 0 ? 1 : 0;
        }

        return result;
    }

    /// <summary>Partial from hard predictions (class indices); log-loss is unavailable.</summary>
    public static MulticlassConfusion FromPredictions(int classes, ReadOnlySpan<double> labels, ReadOnlySpan<int> predicted, ReadOnlySpan<double> weights = default)
    {
        if (predicted.Length != labels.Length)
        {
            throw new ArgumentException("Labels and predictions must have the same length.", nameof(predicted));
        }

        var result = new MulticlassConfusion(classes) { HasLogLoss = false };
        for (var i = 0; i < labels.Length; i++)
        {
            var actual = result.Label(labels[i], i);
            if ((uint)predicted[i] >= (uint)classes)
            {
                throw new ArgumentException($"Prediction at row {i} is {predicted[i]}, outside 0..{classes - 1}.", nameof(predicted));
            }

            var w = Weight(weights, i, labels.Length);
            result._matrix[(actual * classes) + predicted[i]] += w;
            result.TotalWeight += w;
            result.Rows += w > 0 ? 1 : 0;
        }

        return result;
    }

    /// <summary>The 2×2 matrix of a thresholded binary partial (class 0 negative, class 1 positive), with its log-loss.</summary>
    public static MulticlassConfusion FromBinary(BinaryConfusion confusion, double? logLossSum = null)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        var result = new MulticlassConfusion(2) { HasLogLoss = logLossSum is not null, LogLossSum = logLossSum ?? 0 };
        result._matrix[0] = confusion.TrueNegative;
        result._matrix[1] = confusion.FalsePositive;
        result._matrix[2] = confusion.FalseNegative;
        result._matrix[3] = confusion.TruePositive;
        result.TotalWeight = confusion.Total;
        return result;
    }

    public void Add(MulticlassConfusion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Classes != Classes)
        {
            throw new ArgumentException($"Cannot merge a {other.Classes}-class confusion into a {Classes}-class one.", nameof(other));
        }

        for (var i = 0; i < _matrix.Length; i++)
        {
            _matrix[i] += other._matrix[i];
        }

        Rows += other.Rows;
        TotalWeight += other.TotalWeight;
        LogLossSum += other.LogLossSum;
        HasLogLoss &= other.HasLogLoss;
    }

    /// <summary>Weight of rows whose actual class is <paramref name="c"/>.</summary>
    public double Support(int c)
    {
        var sum = 0.0;
        for (var k = 0; k < Classes; k++)
        {
            sum += this[c, k];
        }

        return sum;
    }

    /// <summary>Weight of rows predicted as class <paramref name="c"/>.</summary>
    public double PredictedWeight(int c)
    {
        var sum = 0.0;
        for (var k = 0; k < Classes; k++)
        {
            sum += this[k, c];
        }

        return sum;
    }

    public double Precision(int c) => Ratio(this[c, c], PredictedWeight(c));

    public double Recall(int c) => Ratio(this[c, c], Support(c));

    public double F1(int c) => F1(Precision(c), Recall(c));

    public double MacroPrecision => Macro(Precision);

    public double MacroRecall => Macro(Recall);

    public double MacroF1 => Macro(F1);

    /// <summary>Micro precision = micro recall = micro F1 = accuracy for single-label data; 0 without weight.</summary>
    public double Micro => Accuracy ?? 0;

    /// <summary>Version byte, classes and rows (varints), log-loss flag and sum, total weight, then K² doubles row-major.</summary>
    public byte[] Serialize()
    {
        var writer = new SketchWriter(40 + (8 * _matrix.Length));
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)Classes);
        writer.WriteVarUInt64((ulong)Rows);
        writer.WriteBool(HasLogLoss);
        writer.WriteDouble(LogLossSum);
        writer.WriteDouble(TotalWeight);
        foreach (var value in _matrix)
        {
            writer.WriteDouble(value);
        }

        return writer.ToArray();
    }

    public static MulticlassConfusion Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported confusion format version {version}.");
        }

        var classes = reader.ReadCount();
        if (classes < 2 || (long)classes * classes * 8 > data.Length)
        {
            throw new InvalidDataException("Confusion class count does not match the data.");
        }

        var result = new MulticlassConfusion(classes)
        {
            Rows = (long)reader.ReadVarUInt64(),
            HasLogLoss = reader.ReadBool(),
            LogLossSum = reader.ReadDouble(),
            TotalWeight = reader.ReadDouble(),
        };
        for (var i = 0; i < result._matrix.Length; i++)
        {
            result._matrix[i] = reader.ReadDouble();
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after confusion data.");
        }

        return result;
    }

    internal static double F1(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;

    private static double Weight(ReadOnlySpan<double> weights, int i, int rows)
    {
        if (weights.IsEmpty)
        {
            return 1.0;
        }

        if (weights.Length != rows)
        {
            throw new ArgumentException("Weights must have one value per row.", nameof(weights));
        }

        var w = weights[i];
        return w >= 0 && !double.IsInfinity(w) ? w : throw new ArgumentException($"Weight at row {i} is {w}; weights must be finite and non-negative.", nameof(weights));
    }

    private int Label(double label, int row)
    {
        var c = (int)label;
        return c == label && c >= 0 && c < Classes ? c : throw new ArgumentException($"Label at row {row} is {label}, not a class index in 0..{Classes - 1}.", nameof(label));
    }

    private double Diagonal()
    {
        var sum = 0.0;
        for (var c = 0; c < Classes; c++)
        {
            sum += this[c, c];
        }

        return sum;
    }

    private double Macro(Func<int, double> metric)
    {
        var sum = 0.0;
        var present = 0;
        for (var c = 0; c < Classes; c++)
        {
            if (Support(c) > 0 || PredictedWeight(c) > 0)
            {
                sum += metric(c);
                present++;
            }
        }

        return present > 0 ? sum / present : 0;
    }
}
