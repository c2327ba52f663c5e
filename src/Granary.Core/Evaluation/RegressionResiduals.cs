using Granary.Core.Sketches;

namespace Granary.Core.Evaluation;

/// <summary>
/// Mergeable regression partial. Residual r = prediction − label. Keeps Σw, Σw·r², Σw·|r|, Σw·r, min/max
/// residual, and the labels' weighted mean and M2 = Σw·(y − ȳ)² for R² = 1 − SSE/SST. Instead of Σy and Σy²
/// the labels use a two-pass mean/M2 per chunk merged by Chan's update, because SST = Σy² − (Σy)²/W cancels
/// catastrophically when |ȳ| ≫ σ. The residual histogram has fixed equal-width bins over a caller-given
/// range (e.g. ±4σ of the label from the dataset profile, 40 bins) plus underflow and overflow bins, so it
/// merges exactly by addition; partials merge only with the same range and bin count.
/// RMSE, MAE are null without weight; R² is null when SST = 0 (constant labels).
/// </summary>
public sealed class RegressionResiduals
{
    private const byte FormatVersion = 1;

    /// <summary>Index 0 is underflow (r &lt; lower), 1..bins the regular bins, bins + 1 overflow (r ≥ upper).</summary>
    private readonly double[] _histogram;

    public RegressionResiduals(double lower, double upper, int bins = 40)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || !(upper > lower))
        {
            throw new ArgumentException($"Histogram range [{lower}, {upper}) must be finite and non-empty.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, 100_000);
        Lower = lower;
        Upper = upper;
        _histogram = new double[bins + 2];
    }

    /// <summary>Histogram over ±<paramref name="sigmas"/>·<paramref name="labelStd"/> (default ±4σ in 40 bins).</summary>
    public static RegressionResiduals ForLabelStd(double labelStd, double sigmas = 4, int bins = 40)
    {
        var half = labelStd > 0 && double.IsFinite(labelStd) ? sigmas * labelStd : 1.0; // constant labels: ±1
        return new RegressionResiduals(-half, half, bins);
    }

    public double Lower { get; }

    public double Upper { get; }

    public int Bins => _histogram.Length - 2;

    public long Rows { get; private set; }

    public double TotalWeight { get; private set; }

    public double SquaredErrorSum { get; private set; }

    public double AbsoluteErrorSum { get; private set; }

    public double ResidualSum { get; private set; }

    public double MinResidual { get; private set; } = double.PositiveInfinity;

    public double MaxResidual { get; private set; } = double.NegativeInfinity;

    public double LabelMean { get; private set; }

    /// <summary>Σw·(y − ȳ)², the total sum of squares.</summary>
    public double LabelM2 { get; private set; }

    public double? Rmse => TotalWeight > 0 ? Math.Sqrt(SquaredErrorSum / TotalWeight) : null;

    public double? Mae => TotalWeight > 0 ? AbsoluteErrorSum / TotalWeight : null;

    /// <summary>Weighted mean residual (prediction bias).</summary>
    public double? MeanResidual => TotalWeight > 0 ? ResidualSum / TotalWeight : null;

    public double? R2 => LabelM2 > 0 ? 1 - (SquaredErrorSum / LabelM2) : null;

    public double BinWidth => (Upper - Lower) / Bins;

    public double Underflow => _histogram[0];

    public double Overflow => _histogram[^1];

    /// <summary>Weight of residuals in regular bin <paramref name="bin"/> = [Lower + bin·width, Lower + (bin+1)·width).</summary>
    public double BinWeight(int bin) => _histogram[bin + 1];

    public double BinLower(int bin) => Lower + (bin * BinWidth);

    public double BinUpper(int bin) => bin == Bins - 1 ? Upper : Lower + ((bin + 1) * BinWidth);

    /// <summary>Adds one chunk (two passes: sums and label mean, then label M2).</summary>
    public void AddChunk(ReadOnlySpan<double> predictions, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        if (labels.Length != predictions.Length || (!weights.IsEmpty && weights.Length != predictions.Length))
        {
            throw new ArgumentException("Predictions, labels and weights must have the same length.");
        }

        var chunk = new RegressionResiduals(Lower, Upper, Bins);
        double labelSum = 0;
        for (var i = 0; i < predictions.Length; i++)
        {
            var w = weights.IsEmpty ? 1.0 : weights[i];
            var r = predictions[i] - labels[i];
            if (!double.IsFinite(r) || !double.IsFinite(labels[i]) || !(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException($"Row {i}: prediction {predictions[i]}, label {labels[i]}, weight {w}; all must be finite, weight ≥ 0.");
            }

            if (w == 0)
            {
                continue;
            }

            chunk.Rows++;
            chunk.TotalWeight += w;
            chunk.SquaredErrorSum += w * r * r;
            chunk.AbsoluteErrorSum += w * Math.Abs(r);
            chunk.ResidualSum += w * r;
            chunk.MinResidual = Math.Min(chunk.MinResidual, r);
            chunk.MaxResidual = Math.Max(chunk.MaxResidual, r);
            chunk._histogram[chunk.BinIndex(r)] += w;
            labelSum += w * labels[i];
        }

        if (chunk.TotalWeight > 0)
        {
            var mean = labelSum / chunk.TotalWeight;
            double m2 = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                var d = labels[i] - mean;
                m2 += (weights.IsEmpty ? 1.0 : weights[i]) * d * d;
            }

            chunk.LabelMean = mean;
            chunk.LabelM2 = m2;
        }

        Add(chunk);
    }

    public void Add(RegressionResiduals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Lower != Lower || other.Upper != Upper || other.Bins != Bins)
        {
            throw new ArgumentException("Residual histograms must share the same range and bin count to merge.", nameof(other));
        }

        if (other.TotalWeight > 0)
        {
            var total = TotalWeight + other.TotalWeight;
            var delta = other.LabelMean - LabelMean;
            LabelM2 += other.LabelM2 + (delta * delta * (TotalWeight * other.TotalWeight / total));
            LabelMean += delta * (other.TotalWeight / total);
        }

        Rows += other.Rows;
        TotalWeight += other.TotalWeight;
        SquaredErrorSum += other.SquaredErrorSum;
        AbsoluteErrorSum += other.AbsoluteErrorSum;
        ResidualSum += other.ResidualSum;
        MinResidual = Math.Min(MinResidual, other.MinResidual);
        MaxResidual = Math.Max(MaxResidual, other.MaxResidual);
        for (var i = 0; i < _histogram.Length; i++)
        {
            _histogram[i] += other._histogram[i];
        }
    }

    /// <summary>Version byte, bins and rows (varints), then doubles: range, sums, labels' mean/M2, histogram (bins + 2).</summary>
    public byte[] Serialize()
    {
        var writer = new SketchWriter(96 + (8 * _histogram.Length));
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)Bins);
        writer.WriteVarUInt64((ulong)Rows);
        foreach (var value in (ReadOnlySpan<double>)[Lower, Upper, TotalWeight, SquaredErrorSum, AbsoluteErrorSum, ResidualSum, MinResidual, MaxResidual, LabelMean, LabelM2])
        {
            writer.WriteDouble(value);
        }

        foreach (var value in _histogram)
        {
            writer.WriteDouble(value);
        }

        return writer.ToArray();
    }

    public static RegressionResiduals Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported residuals format version {version}.");
        }

        var bins = reader.ReadCount(8);
        var rows = (long)reader.ReadVarUInt64();
        RegressionResiduals result;
        try
        {
            result = new RegressionResiduals(reader.ReadDouble(), reader.ReadDouble(), bins);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("Residual histogram range or bin count is invalid.", e);
        }

        result.Rows = rows;
        result.TotalWeight = reader.ReadDouble();
        result.SquaredErrorSum = reader.ReadDouble();
        result.AbsoluteErrorSum = reader.ReadDouble();
        result.ResidualSum = reader.ReadDouble();
        result.MinResidual = reader.ReadDouble();
        result.MaxResidual = reader.ReadDouble();
        result.LabelMean = reader.ReadDouble();
        result.LabelM2 = reader.ReadDouble();
        for (var i = 0; i < result._histogram.Length; i++)
        {
            result._histogram[i] = reader.ReadDouble();
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after residuals data.");
        }

        return result;
    }

    private int BinIndex(double r)
    {
        if (r < Lower)
        {
            return 0;
        }

        if (r >= Upper)
        {
            return _histogram.Length - 1;
        }

        // Rounding can put r just below Upper into index Bins; clamp to the last regular bin.
        return 1 + Math.Min((int)((r - Lower) / BinWidth), Bins - 1);
    }
}
