using System.Text.Json;
using System.Text.Json.Serialization;
using Granary.Core.Data;
using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

/// <summary>Generated data and helpers shared by the sketch tests.</summary>
internal static class SketchTestData
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A mix of normal, log-normal and uniform values, with some exact duplicates.</summary>
    public static double[] Mixed(int n, int seed)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (i % 4) switch
            {
                0 => Normal(random) * 10 + 100,
                1 => Math.Exp(Normal(random)),
                2 => random.NextDouble() * 1000 - 500,
                _ => random.Next(50),
            };
        }

        return values;
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Splits [0, n) into uneven consecutive pieces.</summary>
    public static List<(int Start, int Length)> UnevenSplits(int n, int seed)
    {
        var random = new Random(seed);
        var pieces = new List<(int, int)>();
        var start = 0;
        var sizes = new[] { 1, 7, 1000, 4099, 150_000, 262_144, 3, 77_777 };
        var k = 0;
        while (start < n)
        {
            var length = Math.Min(n - start, k < sizes.Length ? sizes[k] : random.Next(1, 300_000));
            pieces.Add((start, length));
            start += length;
            k++;
        }

        return pieces;
    }

    public static ColumnSketch SketchOf(ColumnType type, params Column[] chunks)
    {
        var sketch = ColumnSketch.Create(new ColumnSchema("c", type));
        foreach (var chunk in chunks)
        {
            sketch.Add(chunk);
        }

        return sketch;
    }

    public static NumericColumn Numeric(double[] values, int start, int length) =>
        new("c", values.AsSpan(start, length).ToArray());

    public static string ToJson(ColumnProfile profile) => JsonSerializer.Serialize(profile, Json);

    public static string ToJson(DatasetProfileResult profile) => JsonSerializer.Serialize(profile, Json);
}
