using System.Buffers;
using System.Numerics.Tensors;
using Granary.Core.Sketches;

namespace Granary.Core.Evaluation;

/// <summary>
/// Builds one chunk's <see cref="BinaryScores"/>: rows are split by label, each class's scores are sorted once
/// (radix sort when unweighted, key/weight sort otherwise), and the two sorted runs are merged into the
/// distinct-score run. The log-loss logarithms are taken in one vectorised call over the whole chunk.
/// </summary>
internal static class BinaryChunkBuilder
{
    private const double Clip = 1e-15;

    public static BinaryScores Build(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights)
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

        var rows = positiveCount + negativeCount;
        var positiveKeys = new ulong[positiveCount];
        var negativeKeys = new ulong[negativeCount];
        var positiveWeights = weighted ? new double[positiveCount] : null;
        var negativeWeights = weighted ? new double[negativeCount] : null;
        var likelihood = ArrayPool<double>.Shared.Rent(rows); // clipped probability of each kept row's own label
        var keptWeights = weighted ? ArrayPool<double>.Shared.Rent(rows) : null;
        try
        {
            var p = 0;
            var n = 0;
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
                keptWeights?[p + n] = w;
                if (labels[i] == 1)
                {
                    likelihood[p + n] = clipped;
                    positiveWeights?[p] = w;
                    positiveKeys[p++] = SortableKeys.FromDouble(score);
                }
                else
                {
                    likelihood[p + n] = 1 - clipped;
                    negativeWeights?[n] = w;
                    negativeKeys[n++] = SortableKeys.FromDouble(score);
                }
            }

            var logLoss = 0.0;
            if (probabilities && rows > 0)
            {
                var logs = likelihood.AsSpan(0, rows);
                TensorPrimitives.Log(logs, logs);
                logLoss = -(keptWeights is null ? TensorPrimitives.Sum<double>(logs) : TensorPrimitives.Dot<double>(logs, keptWeights.AsSpan(0, rows)));
            }

            SortClass(positiveKeys, positiveWeights);
            SortClass(negativeKeys, negativeWeights);
            return Compact(positiveKeys, positiveWeights, negativeKeys, negativeWeights, rows, logLoss, probabilities);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(likelihood);
            if (keptWeights is not null)
            {
                ArrayPool<double>.Shared.Return(keptWeights);
            }
        }
    }

    private static void SortClass(ulong[] keys, double[]? weights)
    {
        if (weights is null)
        {
            var scratch = ArrayPool<ulong>.Shared.Rent(keys.Length);
            RadixSort.Sort(keys, scratch.AsSpan(0, keys.Length));
            ArrayPool<ulong>.Shared.Return(scratch);
        }
        else
        {
            Array.Sort(keys, weights);
        }
    }

    /// <summary>Two-way merge of the sorted positive and negative keys, summing the weights of equal scores.</summary>
    private static BinaryScores Compact(ulong[] pKeys, double[]? pWeights, ulong[] nKeys, double[]? nWeights, long rows, double logLoss, bool hasLogLoss)
    {
        var capacity = pKeys.Length + nKeys.Length;
        // Uninitialised: every slot up to count is written below and the rest is never read.
        var scores = GC.AllocateUninitializedArray<double>(capacity);
        var positive = GC.AllocateUninitializedArray<double>(capacity);
        var negative = GC.AllocateUninitializedArray<double>(capacity);
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

        // Trim only when ties freed much of the space; otherwise the slack is cheaper than a copy.
        if (count < capacity / 2)
        {
            Array.Resize(ref scores, count);
            Array.Resize(ref positive, count);
            Array.Resize(ref negative, count);
        }

        return new BinaryScores(scores, positive, negative, count, rows, logLoss, hasLogLoss);
    }
}
