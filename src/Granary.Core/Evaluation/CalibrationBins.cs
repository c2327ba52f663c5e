using Granary.Core.Sketches;

namespace Granary.Core.Evaluation;

/// <summary>
/// Mergeable reliability diagram: fixed equal-width bins of predicted probability over [0, 1] (default 10),
/// each holding Σw, Σw·p and Σw·y, so merged means are exact. Bin b covers [b/B, (b+1)/B); p = 1 falls in the
/// last bin. Means are null for an empty bin. Probabilities must lie in [0, 1] and labels be 0 or 1.
/// </summary>
public sealed class CalibrationBins
{
    private const byte FormatVersion = 1;

    private readonly double[] _weight;
    private readonly double[] _predicted;
    private readonly double[] _observed;

    public CalibrationBins(int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bins, 100_000);
        _weight = new double[bins];
        _predicted = new double[bins];
        _observed = new double[bins];
    }

    public int Count => _weight.Length;

    public static CalibrationBins FromChunk(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default, int bins = 10)
    {
        if (labels.Length != probabilities.Length || (!weights.IsEmpty && weights.Length != probabilities.Length))
        {
            throw new ArgumentException("Probabilities, labels and weights must have the same length.");
        }

        var result = new CalibrationBins(bins);
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            var y = labels[i];
            var w = weights.IsEmpty ? 1.0 : weights[i];
            if (!(p is >= 0 and <= 1) || (y != 0 && y != 1) || !(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException($"Row {i}: probability {p}, label {y}, weight {w}; expected p in [0, 1], label 0 or 1, finite weight ≥ 0.");
            }

            var b = Math.Min((int)(p * bins), bins - 1);
            result._weight[b] += w;
            result._predicted[b] += w * p;
            result._observed[b] += w * y;
        }

        return result;
    }

    public double Lower(int bin) => (double)bin / Count;

    public double Upper(int bin) => (double)(bin + 1) / Count;

    public double Weight(int bin) => _weight[bin];

    public double? MeanPredicted(int bin) => _weight[bin] > 0 ? _predicted[bin] / _weight[bin] : null;

    public double? ObservedRate(int bin) => _weight[bin] > 0 ? _observed[bin] / _weight[bin] : null;

    /// <summary>Expected calibration error Σ_b (w_b/W)·|mean predicted − observed rate|; null without weight.</summary>
    public double? ExpectedCalibrationError
    {
        get
        {
            double total = 0, gap = 0;
            for (var b = 0; b < Count; b++)
            {
                total += _weight[b];
                gap += Math.Abs(_predicted[b] - _observed[b]);
            }

            return total > 0 ? gap / total : null;
        }
    }

    public void Add(CalibrationBins other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count != Count)
        {
            throw new ArgumentException($"Cannot merge {other.Count} calibration bins into {Count}.", nameof(other));
        }

        for (var b = 0; b < Count; b++)
        {
            _weight[b] += other._weight[b];
            _predicted[b] += other._predicted[b];
            _observed[b] += other._observed[b];
        }
    }

    /// <summary>Version byte, bin count (varint), then three doubles per bin: 24·bins + 2 bytes.</summary>
    public byte[] Serialize()
    {
        var writer = new SketchWriter(8 + (24 * Count));
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)Count);
        for (var b = 0; b < Count; b++)
        {
            writer.WriteDouble(_weight[b]);
            writer.WriteDouble(_predicted[b]);
            writer.WriteDouble(_observed[b]);
        }

        return writer.ToArray();
    }

    public static CalibrationBins Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported calibration format version {version}.");
        }

        var count = reader.ReadCount(24);
        if (count is < 1 or > 100_000)
        {
            throw new InvalidDataException($"Calibration data has {count} bins; expected 1 to 100,000.");
        }

        var result = new CalibrationBins(count);
        for (var b = 0; b < count; b++)
        {
            result._weight[b] = reader.ReadDouble();
            result._predicted[b] = reader.ReadDouble();
            result._observed[b] = reader.ReadDouble();
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after calibration data.");
        }

        return result;
    }
}
