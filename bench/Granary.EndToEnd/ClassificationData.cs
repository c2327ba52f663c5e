using System.Globalization;
using System.Text;

namespace Granary.EndToEnd;

/// <summary>
/// Deterministic binary classification data: features ~ N(0,1) written with 6 decimals, label drawn from
/// a logistic model with fixed weights, so the benchmark can score what training recovers on held-out
/// rows from the same generator.
/// </summary>
public static class ClassificationData
{
    public static double Weight(int feature) => ((feature % 7) - 3) * 0.25;

    /// <summary>The rows of one seed: features rounded as written, and the label.</summary>
    public static IEnumerable<(double[] Features, int Label)> Rows(int rows, int features, int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < rows; r++)
        {
            var x = new double[features];
            var margin = 0.0;
            for (var f = 0; f < features; f++)
            {
                x[f] = Math.Round(Gaussian(random), 6);
                margin += Weight(f) * x[f];
            }

            yield return (x, random.NextDouble() < 1 / (1 + Math.Exp(-margin)) ? 1 : 0);
        }
    }

    /// <summary>
    /// Writes the rows of one seed as CSV (<c>f0..fN,label</c>); with <paramref name="scale"/>, feature f is written
    /// multiplied by scale(f) (the label is drawn as before), for raw features on very different scales.
    /// </summary>
    public static long WriteCsv(string path, int rows, int features, int seed, Func<int, double>? scale = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder(features * 12);
        for (var f = 0; f < features; f++)
        {
            line.Append('f').Append(f.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        writer.Write(line.Append("label\n"));
        foreach (var (x, label) in Rows(rows, features, seed))
        {
            line.Clear();
            for (var f = 0; f < x.Length; f++)
            {
                line.Append((scale is null ? x[f] : x[f] * scale(f)).ToString("F6", CultureInfo.InvariantCulture)).Append(',');
            }

            line.Append(label == 1 ? '1' : '0').Append('\n');
            writer.Write(line);
        }

        writer.Flush();
        return stream.Length;
    }

    /// <summary>ROC AUC by the Mann–Whitney rank sum, ties counted half.</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (labels[order[k]] == 1)
                {
                    rankSum += rank;
                    positives++;
                }
            }

            i = j + 1;
        }

        var negatives = scores.Count - positives;
        return (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller: two uniforms to one standard normal.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
