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
        // Local copies of the raw arrays: no interface calls or span creation in the inner loops.
        var k = parts.Count;
        var runScores = new double[k][];
        var runPositive = new double[k][];
        var runNegative = new double[k][];
        var lengths = new int[k];
        for (var r = 0; r < k; r++)
        {
            (runScores[r], runPositive[r], runNegative[r], lengths[r]) = (parts[r].RawScores, parts[r].RawPositive, parts[r].RawNegative, parts[r].DistinctScores);
        }

        var heads = new int[k];
        var count = 0;
        while (true)
        {
            var min = double.PositiveInfinity;
            var any = false;
            for (var r = 0; r < k; r++)
            {
                if (heads[r] < lengths[r])
                {
                    var s = runScores[r][heads[r]];
                    if (!any || s < min)
                    {
                        min = s;
                        any = true;
                    }
                }
            }

            if (!any)
            {
                return count;
            }

            double p = 0, n = 0;
            for (var r = 0; r < k; r++)
            {
                var h = heads[r];
                if (h < lengths[r] && runScores[r][h] == min)
                {
                    p += runPositive[r][h];
                    n += runNegative[r][h];
                    heads[r] = h + 1;
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
