using Granary.Core.Sketches;

namespace Granary.Core.Evaluation;

/// <summary>
/// Mergeable, exact partial result for binary classification: the chunk's (score, label, weight) rows
/// compacted into one ascending run of distinct scores, each with the summed weight of its positive and of
/// its negative rows. Ties are kept together (equal scores share one entry), which is what makes the AUC
/// exact. Size is O(distinct scores): 24 bytes per distinct score plus a small header, so a chunk of n rows
/// never costs more than its raw (score, label, weight) triples and far less when scores repeat.
/// <para>
/// Definitions. ROC AUC is the trapezoid area under the step ROC curve, which equals the weighted
/// Mann–Whitney statistic P(score₊ &gt; score₋) + ½·P(score₊ = score₋). PR AUC is average precision,
/// Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct thresholds in descending order with R₀ = 0 (no interpolation).
/// Both are null (undefined) when the positive or the negative weight is zero (PR AUC: positive weight zero).
/// Log-loss treats the scores as probabilities of the positive class, clipped to [1e-15, 1 − 1e-15]; it is
/// null when any score of any chunk lies outside [0, 1] (the scores were margins, not probabilities).
/// </para>
/// <para>Labels are 0 or 1; weights are finite and ≥ 0 (zero-weight rows are dropped); scores must not be NaN.</para>
/// </summary>
public sealed class BinaryScores
{
    private const byte FormatVersion = 1;

    private readonly double[] _scores;
    private readonly double[] _positive;
    private readonly double[] _negative;
    private readonly int _count; // arrays may be longer than the run: merging avoids a trimming copy

    internal BinaryScores(double[] scores, double[] positive, double[] negative, int count, long rows, double logLossSum, bool hasLogLoss)
    {
        _count = count;
        _scores = scores;
        _positive = positive;
        _negative = negative;
        Rows = rows;
        LogLossSum = logLossSum;
        HasLogLoss = hasLogLoss;
        for (var i = 0; i < count; i++)
        {
            PositiveWeight += positive[i];
            NegativeWeight += negative[i];
        }
    }

    /// <summary>Rows with non-zero weight.</summary>
    public long Rows { get; }

    public int DistinctScores => _count;

    public double PositiveWeight { get; }

    public double NegativeWeight { get; }

    /// <summary>Σ w·(−log p_label) with clipped probabilities; meaningful only when <see cref="HasLogLoss"/>.</summary>
    public double LogLossSum { get; }

    /// <summary>True when every score seen was a probability in [0, 1].</summary>
    public bool HasLogLoss { get; }

    /// <summary>Weighted mean log-loss; null when the scores were not probabilities or there is no weight.</summary>
    public double? LogLoss => HasLogLoss && PositiveWeight + NegativeWeight > 0 ? LogLossSum / (PositiveWeight + NegativeWeight) : null;

    /// <summary>Ascending distinct scores with their positive and negative weights (read-only views).</summary>
    public ReadOnlySpan<double> Scores => _scores.AsSpan(0, _count);

    public ReadOnlySpan<double> PositiveWeights => _positive.AsSpan(0, _count);

    public ReadOnlySpan<double> NegativeWeights => _negative.AsSpan(0, _count);

    internal double[] RawScores => _scores;

    internal double[] RawPositive => _positive;

    internal double[] RawNegative => _negative;

    public static BinaryScores Empty { get; } = new([], [], [], 0, 0, 0, true);

    /// <summary>Builds the partial of one chunk: splits rows by label, sorts each class once, then merges the two runs.</summary>
    public static BinaryScores FromChunk(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default) =>
        BinaryChunkBuilder.Build(scores, labels, weights);

    /// <summary>Exact k-way merge of partials (tree of two-way merges): equal scores from different chunks are summed into one entry.</summary>
    public static BinaryScores Merge(IReadOnlyList<BinaryScores> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var capacity = 0;
        long rows = 0;
        var logLoss = 0.0;
        var hasLogLoss = true;
        foreach (var part in parts)
        {
            capacity += part.DistinctScores;
            rows += part.Rows;
            logLoss += part.LogLossSum;
            hasLogLoss &= part.HasLogLoss;
        }

        var (scores, positive, negative, count) = RunMerge.Merge(parts, capacity);
        if (count < capacity / 2)
        {
            // Many cross-chunk ties: trim so a long-lived merged partial does not hold the slack.
            Array.Resize(ref scores, count);
            Array.Resize(ref positive, count);
            Array.Resize(ref negative, count);
        }

        return new BinaryScores(scores, positive, negative, count, rows, hasLogLoss ? logLoss : 0, hasLogLoss);
    }

    /// <summary>Weighted Mann–Whitney AUC (ties count half); null when either class has no weight.</summary>
    public double? RocAuc()
    {
        if (!(PositiveWeight > 0 && NegativeWeight > 0))
        {
            return null;
        }

        // Descending thresholds: each negative at score s beats the positives above it, ties count half.
        // Neumaier-compensated so large unit-weight sums stay exact to the last bit where possible.
        var sum = new CompensatedSum();
        var positivesAbove = 0.0;
        for (var i = _count - 1; i >= 0; i--)
        {
            sum.Add(_negative[i] * (positivesAbove + (0.5 * _positive[i])));
            positivesAbove += _positive[i];
        }

        return sum.Value / (PositiveWeight * NegativeWeight);
    }

    /// <summary>Average precision Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct thresholds, descending; null without positive weight.</summary>
    public double? PrAuc()
    {
        if (!(PositiveWeight > 0))
        {
            return null;
        }

        var sum = new CompensatedSum();
        var tp = 0.0;
        var fp = 0.0;
        for (var i = _count - 1; i >= 0; i--)
        {
            tp += _positive[i];
            fp += _negative[i];
            if (_positive[i] > 0)
            {
                sum.Add(_positive[i] * (tp / (tp + fp)));
            }
        }

        return sum.Value / PositiveWeight;
    }

    /// <summary>
    /// ROC curve from the origin through every distinct threshold (descending), thinned to at most
    /// <paramref name="maxPoints"/> evenly spaced points (first and last kept) for plotting; the AUC is
    /// always computed from the full run. Empty when either class has no weight.
    /// </summary>
    public IReadOnlyList<RocPoint> RocCurve(int maxPoints = 200)
    {
        if (!(PositiveWeight > 0 && NegativeWeight > 0))
        {
            return [];
        }

        var all = new RocPoint[_count + 1];
        all[0] = new RocPoint(0, 0, null);
        var tp = 0.0;
        var fp = 0.0;
        for (var i = _count - 1; i >= 0; i--)
        {
            tp += _positive[i];
            fp += _negative[i];
            all[_count - i] = new RocPoint(fp / NegativeWeight, tp / PositiveWeight, Finite(_scores[i]));
        }

        return Thin(all, maxPoints);
    }

    /// <summary>Precision–recall points at every distinct threshold (descending), thinned like <see cref="RocCurve"/>; empty without positives.</summary>
    public IReadOnlyList<PrPoint> PrCurve(int maxPoints = 200)
    {
        if (!(PositiveWeight > 0))
        {
            return [];
        }

        var all = new PrPoint[_count];
        var tp = 0.0;
        var fp = 0.0;
        for (var i = _count - 1; i >= 0; i--)
        {
            tp += _positive[i];
            fp += _negative[i];
            all[_count - 1 - i] = new PrPoint(tp / PositiveWeight, tp / (tp + fp), Finite(_scores[i]));
        }

        return Thin(all, maxPoints);
    }

    /// <summary>Weighted confusion counts when rows with score ≥ <paramref name="threshold"/> are predicted positive.</summary>
    public BinaryConfusion ConfusionAt(double threshold = 0.5)
    {
        var split = Scores.BinarySearch(threshold);
        if (split < 0)
        {
            split = ~split; // first score greater than the threshold
        }

        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < _count; i++)
        {
            if (i >= split)
            {
                tp += _positive[i];
                fp += _negative[i];
            }
            else
            {
                fn += _positive[i];
                tn += _negative[i];
            }
        }

        return new BinaryConfusion(threshold, tp, fp, tn, fn);
    }

    /// <summary>
    /// Version byte, row count (varint), log-loss flag and sum, distinct-score count (varint), then per distinct
    /// score three little-endian doubles (score, positive weight, negative weight): 24·distinct + ~30 bytes.
    /// </summary>
    public byte[] Serialize()
    {
        var writer = new SketchWriter(32 + (24 * _count));
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)Rows);
        writer.WriteBool(HasLogLoss);
        writer.WriteDouble(LogLossSum);
        writer.WriteVarUInt64((ulong)_count);
        for (var i = 0; i < _count; i++)
        {
            writer.WriteDouble(_scores[i]);
            writer.WriteDouble(_positive[i]);
            writer.WriteDouble(_negative[i]);
        }

        return writer.ToArray();
    }

    public static BinaryScores Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported binary-scores format version {version}.");
        }

        var rows = (long)reader.ReadVarUInt64();
        var hasLogLoss = reader.ReadBool();
        var logLoss = reader.ReadDouble();
        var count = reader.ReadCount(24);
        var scores = new double[count];
        var positive = new double[count];
        var negative = new double[count];
        for (var i = 0; i < count; i++)
        {
            scores[i] = reader.ReadDouble();
            positive[i] = reader.ReadDouble();
            negative[i] = reader.ReadDouble();
            if (double.IsNaN(scores[i]) || (i > 0 && !(scores[i] > scores[i - 1])) || !(positive[i] >= 0) || !(negative[i] >= 0))
            {
                throw new InvalidDataException("Binary-scores run is not strictly ascending with non-negative weights.");
            }
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after binary-scores data.");
        }

        return new BinaryScores(scores, positive, negative, count, rows, logLoss, hasLogLoss);
    }

    /// <summary>Infinite scores (margins may be ±∞) become null thresholds, since JSON has no ∞.</summary>
    private static double? Finite(double score) => double.IsFinite(score) ? score : null;

    private static T[] Thin<T>(T[] all, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (all.Length <= maxPoints)
        {
            return all;
        }

        var result = new T[maxPoints];
        for (var k = 0; k < maxPoints; k++)
        {
            result[k] = all[(int)Math.Round((double)k * (all.Length - 1) / (maxPoints - 1))];
        }

        return result;
    }
}
