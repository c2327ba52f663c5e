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
    private const double Clip = 1e-15;

    private readonly double[] _scores;
    private readonly double[] _positive;
    private readonly double[] _negative;

    private BinaryScores(double[] scores, double[] positive, double[] negative, long rows, double logLossSum, bool hasLogLoss)
    {
        _scores = scores;
        _positive = positive;
        _negative = negative;
        Rows = rows;
        LogLossSum = logLossSum;
        HasLogLoss = hasLogLoss;
        foreach (var w in positive)
        {
            PositiveWeight += w;
        }

        foreach (var w in negative)
        {
            NegativeWeight += w;
        }
    }

    /// <summary>Rows with non-zero weight.</summary>
    public long Rows { get; }

    public int DistinctScores => _scores.Length;

    public double PositiveWeight { get; }

    public double NegativeWeight { get; }

    /// <summary>Σ w·(−log p_label) with clipped probabilities; meaningful only when <see cref="HasLogLoss"/>.</summary>
    public double LogLossSum { get; }

    /// <summary>True when every score seen was a probability in [0, 1].</summary>
    public bool HasLogLoss { get; }

    /// <summary>Weighted mean log-loss; null when the scores were not probabilities or there is no weight.</summary>
    public double? LogLoss => HasLogLoss && PositiveWeight + NegativeWeight > 0 ? LogLossSum / (PositiveWeight + NegativeWeight) : null;

    /// <summary>Ascending distinct scores with their positive and negative weights (read-only views).</summary>
    public ReadOnlySpan<double> Scores => _scores;

    public ReadOnlySpan<double> PositiveWeights => _positive;

    public ReadOnlySpan<double> NegativeWeights => _negative;

    public static BinaryScores Empty { get; } = new([], [], [], 0, 0, true);

    /// <summary>Builds the partial of one chunk: splits rows by label, sorts each class once, then merges the two runs.</summary>
    public static BinaryScores FromChunk(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        if (labels.Length != scores.Length || (!weights.IsEmpty && weights.Length != scores.Length))
        {
            throw new ArgumentException("Scores, labels and weights must have the same length.");
        }

        var weighted = !weights.IsEmpty;
        var positiveCount = 0;
        var negativeCount = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label != 0 && label != 1)
            {
                throw new ArgumentException($"Label at row {i} is {label}; binary labels must be 0 or 1.", nameof(labels));
            }

            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score at row {i} is NaN.", nameof(scores));
            }

            var w = weighted ? weights[i] : 1.0;
            if (!(w >= 0) || double.IsInfinity(w))
            {
                throw new ArgumentException($"Weight at row {i} is {w}; weights must be finite and non-negative.", nameof(weights));
            }

            if (w > 0)
            {
                _ = label == 1 ? positiveCount++ : negativeCount++;
            }
        }

        var positiveKeys = new ulong[positiveCount];
        var negativeKeys = new ulong[negativeCount];
        var positiveWeights = weighted ? new double[positiveCount] : null;
        var negativeWeights = weighted ? new double[negativeCount] : null;
        var p = 0;
        var n = 0;
        var logLoss = 0.0;
        var probabilities = true;
        for (var i = 0; i < scores.Length; i++)
        {
            var w = weighted ? weights[i] : 1.0;
            if (w == 0)
            {
                continue;
            }

            // +0.0 folds −0.0 into 0.0 so the two zeros form one tie group.
            var score = scores[i] + 0.0;
            probabilities &= score is >= 0 and <= 1;
            var clipped = Math.Clamp(score, Clip, 1 - Clip);
            if (labels[i] == 1)
            {
                logLoss -= w * Math.Log(clipped);
                positiveWeights?[p] = w;
                positiveKeys[p++] = SortableKeys.FromDouble(score);
            }
            else
            {
                logLoss -= w * Math.Log(1 - clipped);
                negativeWeights?[n] = w;
                negativeKeys[n++] = SortableKeys.FromDouble(score);
            }
        }

        SortClass(positiveKeys, positiveWeights);
        SortClass(negativeKeys, negativeWeights);
        return Compact(positiveKeys, positiveWeights, negativeKeys, negativeWeights, p + n, probabilities ? logLoss : 0, probabilities);
    }

    /// <summary>Exact k-way merge of partials: equal scores from different chunks are summed into one entry.</summary>
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

        var scores = new double[capacity];
        var positive = new double[capacity];
        var negative = new double[capacity];
        var count = parts.Count <= 8
            ? RunMerge.Linear(parts, scores, positive, negative)
            : RunMerge.Heap(parts, scores, positive, negative);
        return new BinaryScores(scores[..count], positive[..count], negative[..count], rows, hasLogLoss ? logLoss : 0, hasLogLoss);
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
        for (var i = _scores.Length - 1; i >= 0; i--)
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
        for (var i = _scores.Length - 1; i >= 0; i--)
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

        var all = new RocPoint[_scores.Length + 1];
        all[0] = new RocPoint(0, 0, null);
        var tp = 0.0;
        var fp = 0.0;
        for (var i = _scores.Length - 1; i >= 0; i--)
        {
            tp += _positive[i];
            fp += _negative[i];
            all[_scores.Length - i] = new RocPoint(fp / NegativeWeight, tp / PositiveWeight, _scores[i]);
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

        var all = new PrPoint[_scores.Length];
        var tp = 0.0;
        var fp = 0.0;
        for (var i = _scores.Length - 1; i >= 0; i--)
        {
            tp += _positive[i];
            fp += _negative[i];
            all[_scores.Length - 1 - i] = new PrPoint(tp / PositiveWeight, tp / (tp + fp), _scores[i]);
        }

        return Thin(all, maxPoints);
    }

    /// <summary>Weighted confusion counts when rows with score ≥ <paramref name="threshold"/> are predicted positive.</summary>
    public BinaryConfusion ConfusionAt(double threshold = 0.5)
    {
        var split = _scores.AsSpan().BinarySearch(threshold);
        if (split < 0)
        {
            split = ~split; // first score greater than the threshold
        }

        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < _scores.Length; i++)
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
        var writer = new SketchWriter(32 + (24 * _scores.Length));
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)Rows);
        writer.WriteBool(HasLogLoss);
        writer.WriteDouble(LogLossSum);
        writer.WriteVarUInt64((ulong)_scores.Length);
        for (var i = 0; i < _scores.Length; i++)
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

        return new BinaryScores(scores, positive, negative, rows, logLoss, hasLogLoss);
    }

    private static void SortClass(ulong[] keys, double[]? weights)
    {
        if (weights is null)
        {
            RadixSort.Sort(keys, new ulong[keys.Length]);
        }
        else
        {
            Array.Sort(keys, weights);
        }
    }

    /// <summary>Two-way merge of the sorted positive and negative keys, summing weights of equal scores.</summary>
    private static BinaryScores Compact(ulong[] pKeys, double[]? pWeights, ulong[] nKeys, double[]? nWeights, long rows, double logLoss, bool hasLogLoss)
    {
        var capacity = pKeys.Length + nKeys.Length;
        var scores = new double[capacity];
        var positive = new double[capacity];
        var negative = new double[capacity];
        int i = 0, j = 0, count = 0;
        while (i < pKeys.Length || j < nKeys.Length)
        {
            var key = j == nKeys.Length || (i < pKeys.Length && pKeys[i] <= nKeys[j]) ? pKeys[i] : nKeys[j];
            double p = 0, n = 0;
            for (; i < pKeys.Length && pKeys[i] == key; i++)
            {
                p += pWeights?[i] ?? 1.0;
            }

            for (; j < nKeys.Length && nKeys[j] == key; j++)
            {
                n += nWeights?[j] ?? 1.0;
            }

            scores[count] = SortableKeys.ToDouble(key);
            positive[count] = p;
            negative[count++] = n;
        }

        return new BinaryScores(scores[..count], positive[..count], negative[..count], rows, logLoss, hasLogLoss);
    }

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
