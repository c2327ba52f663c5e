using System.Buffers;

namespace Granary.Core.Evaluation;

/// <summary>
/// K-way merge of ascending distinct-score runs into one, summing the weights of equal scores: a balanced
/// tree of two-way merges, O(n log k). A two-way merge needs one comparison per element in a tight loop,
/// which measured faster than scanning k heads or a heap for the handful of partials a coordinator holds.
/// Intermediate runs use pooled buffers; only the final run is freshly allocated.
/// </summary>
internal static class RunMerge
{
    private readonly record struct Run(double[] Scores, double[] Positive, double[] Negative, int Count, bool Pooled);

    /// <summary>Merges into fresh arrays of length <paramref name="capacity"/> (the sum of the run lengths); returns the distinct count.</summary>
    public static (double[] Scores, double[] Positive, double[] Negative, int Count) Merge(IReadOnlyList<BinaryScores> parts, int capacity)
    {
        var runs = new List<Run>(parts.Count);
        foreach (var part in parts)
        {
            if (part.DistinctScores > 0)
            {
                runs.Add(new Run(part.RawScores, part.RawPositive, part.RawNegative, part.DistinctScores, false));
            }
        }

        if (runs.Count == 0)
        {
            return ([], [], [], 0);
        }

        while (runs.Count > 2)
        {
            var next = new List<Run>((runs.Count + 1) / 2);
            for (var r = 0; r + 1 < runs.Count; r += 2)
            {
                var length = runs[r].Count + runs[r + 1].Count;
                var pool = ArrayPool<double>.Shared;
                var merged = new Run(pool.Rent(length), pool.Rent(length), pool.Rent(length), 0, true);
                next.Add(merged with { Count = MergeTwo(runs[r], runs[r + 1], merged) });
                Release(runs[r]);
                Release(runs[r + 1]);
            }

            if (runs.Count % 2 == 1)
            {
                next.Add(runs[^1]);
            }

            runs = next;
        }

        var result = new Run(Fresh(capacity), Fresh(capacity), Fresh(capacity), 0, false);
        var count = runs.Count == 1
            ? MergeTwo(runs[0], new Run([], [], [], 0, false), result)
            : MergeTwo(runs[0], runs[1], result);
        runs.ForEach(Release);
        return (result.Scores, result.Positive, result.Negative, count);
    }

    private static int MergeTwo(Run a, Run b, Run into)
    {
        int i = 0, j = 0, k = 0;
        var (aS, aP, aN) = (a.Scores, a.Positive, a.Negative);
        var (bS, bP, bN) = (b.Scores, b.Positive, b.Negative);
        var (s, p, n) = (into.Scores, into.Positive, into.Negative);
        while (i < a.Count && j < b.Count)
        {
            var x = aS[i];
            var y = bS[j];
            if (x < y)
            {
                (s[k], p[k], n[k]) = (x, aP[i], aN[i]);
                i++;
            }
            else if (y < x)
            {
                (s[k], p[k], n[k]) = (y, bP[j], bN[j]);
                j++;
            }
            else
            {
                (s[k], p[k], n[k]) = (x, aP[i] + bP[j], aN[i] + bN[j]);
                i++;
                j++;
            }

            k++;
        }

        k = CopyTail(a, i, into, k);
        return CopyTail(b, j, into, k);
    }

    /// <summary>Every element is written by the merge, so the zeroing of a normal allocation is wasted.</summary>
    private static double[] Fresh(int length) => GC.AllocateUninitializedArray<double>(length);

    private static int CopyTail(Run from, int start, Run into, int k)
    {
        var length = from.Count - start;
        Array.Copy(from.Scores, start, into.Scores, k, length);
        Array.Copy(from.Positive, start, into.Positive, k, length);
        Array.Copy(from.Negative, start, into.Negative, k, length);
        return k + length;
    }

    private static void Release(Run run)
    {
        if (run.Pooled)
        {
            ArrayPool<double>.Shared.Return(run.Scores);
            ArrayPool<double>.Shared.Return(run.Positive);
            ArrayPool<double>.Shared.Return(run.Negative);
        }
    }
}
