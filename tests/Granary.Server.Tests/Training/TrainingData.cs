using System.Globalization;
using System.Text;

namespace Granary.Server.Tests.Training;

/// <summary>Deterministic generated datasets with known generating weights.</summary>
internal static class TrainingData
{
    public static readonly double[] LogisticWeights = [1.0, -2.0, 0.5, 0.0, 1.5];

    /// <summary>Features a..e ~ N(0,1) (scaled per column), a categorical color, label y ~ Bernoulli(σ(w·x + color effect − 0.3)).</summary>
    public static string Logistic(int rows, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,c,d,e,color,y\n");
        string[] colors = ["red", "green", "blue"];
        for (var i = 0; i < rows; i++)
        {
            var x = LogisticWeights.Select((_, j) => Gaussian(random) * (1 + j) + j).ToArray();
            var color = colors[random.Next(3)];
            var z = x.Select((v, j) => LogisticWeights[j] * (v - j) / (1 + j)).Sum() + (color == "red" ? 0.7 : 0) - 0.3;
            var y = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
            text.Append(string.Join(',', x.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append(',').Append(color).Append(',').Append(y).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>y = 2 + 3·a − b + 0.5·c + noise, numeric only.</summary>
    public static string Regression(int rows, int seed = 11)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,c,y\n");
        for (var i = 0; i < rows; i++)
        {
            double a = Gaussian(random), b = Gaussian(random) * 3, c = random.NextDouble() * 10;
            var y = 2 + (3 * a) - b + (0.5 * c) + (0.1 * Gaussian(random));
            text.Append(CultureInfo.InvariantCulture, $"{a:R},{b:R},{c:R},{y:R}\n");
        }

        return text.ToString();
    }

    public static double[][] ParseNumeric(string csv) =>
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).ToArray())
            .ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
