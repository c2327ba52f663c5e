namespace Granary.Core.Evaluation;

/// <summary>
/// K-way merge of ascending distinct-score runs into one, summing the weights of equal scores. A linear scan
/// of the run heads is fastest for the few partials a coordinator usually holds; a heap takes over beyond that.
/// Both visit runs in index order for equal scores, so the sums do not depend on which merge was used.
/// </summary>
internal static class RunMerge
{
    public static int Linear(IReadOnlyList<BinaryScores> parts, double[] scores, double[] positive, double[] negative)
    {
        var heads = new int[parts.Count];
        var count = 0;
        while (true)
        {
            var min = double.NaN;
            for (var r = 0; r < parts.Count; r++)
            {
                if (heads[r] < parts[r].DistinctScores)
                {
                    var s = parts[r].Scores[heads[r]];
                    if (double.IsNaN(min) || s < min)
                    {
                        min = s;
                    }
                }
            }

            if (double.IsNaN(min))
            {
                return count;
            }

            double p = 0, n = 0;
            for (var r = 0; r < parts.Count; r++)
            {
                var part = parts[r];
                if (heads[r] < part.DistinctScores && part.Scores[heads[r]] == min)
                {
                    p += part.PositiveWeights[heads[r]];
                    n += part.NegativeWeights[heads[r]];
                    heads[r]++;
                }
            }

            scores[count] = min;
            positive[count] = p;
            negative[count++] = n;
        }
    }

    public static int Heap(IReadOnlyList<BinaryScores> parts, double[] scores, double[] positive, double[] negative)
    {
        // Priority (score, run index) so equal scores leave the heap in run order.
        var heap = new PriorityQueue<int, (double Score, int Run)>();
        var heads = new int[parts.Count];
        for (var r = 0; r < parts.Count; r++)
        {
            if (parts[r].DistinctScores > 0)
            {
                heap.Enqueue(r, (parts[r].Scores[0], r));
            }
        }

        var count = 0;
        while (heap.TryDequeue(out var run, out var key))
        {
            if (count == 0 || scores[count - 1] != key.Score)
            {
                scores[count] = key.Score;
                positive[count] = 0;
                negative[count++] = 0;
            }

            var part = parts[run];
            positive[count - 1] += part.PositiveWeights[heads[run]];
            negative[count - 1] += part.NegativeWeights[heads[run]];
            if (++heads[run] < part.DistinctScores)
            {
                heap.Enqueue(run, (part.Scores[heads[run]], run));
            }
        }

        return count;
    }
}
