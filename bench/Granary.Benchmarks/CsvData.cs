using System.Globalization;
using System.Text;

namespace Granary.Benchmarks;

/// <summary>Deterministic numeric CSV: <c>features</c> float columns formatted F6 plus a binary label.</summary>
internal static class CsvData
{
    public static void Write(TextWriter writer, int rows, int features, int seed = 12345)
    {
        var random = new Random(seed);
        var line = new StringBuilder();
        for (var f = 0; f < features; f++)
        {
            line.Append('f').Append(f).Append(',');
        }

        writer.Write(line.Append("label\n"));
        for (var r = 0; r < rows; r++)
        {
            line.Clear();
            for (var f = 0; f < features; f++)
            {
                line.Append(((random.NextDouble() * 4) - 2).ToString("F6", CultureInfo.InvariantCulture)).Append(',');
            }

            line.Append(random.Next(2)).Append('\n');
            writer.Write(line);
        }
    }

    public static byte[] Generate(int rows, int features)
    {
        using var memory = new MemoryStream();
        using (var writer = new StreamWriter(memory, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            Write(writer, rows, features);
        }

        return memory.ToArray();
    }
}
