using System.Globalization;
using System.Text;

namespace Granary.EndToEnd;

/// <summary>
/// Deterministic binary classification data: features ~ N(0,1) written with 6 decimals, label drawn from
/// a logistic model with fixed weights, so later benchmarks can check what training recovers.
/// </summary>
public static class ClassificationData
{
    public static double Weight(int feature) => ((feature % 7) - 3) * 0.25;

    public static long WriteCsv(string path, int rows, int features, int seed)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        var random = new Random(seed);
        var line = new StringBuilder(features * 12);
        for (var f = 0; f < features; f++)
        {
            line.Append('f').Append(f.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        writer.Write(line.Append("label\n"));
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            var margin = 0.0;
            for (var f = 0; f < features; f++)
            {
                var value = Math.Round(Gaussian(random), 6);
                margin += Weight(f) * value;
                line.Append(value.ToString("F6", CultureInfo.InvariantCulture)).Append(',');
            }

            var label = random.NextDouble() < 1 / (1 + Math.Exp(-margin)) ? '1' : '0';
            line.Append(label).Append('\n');
            writer.Write(line);
        }

        writer.Flush();
        return stream.Length;
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller: two uniforms to one standard normal.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
