using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Core.Data;
using Granary.Core.Features;
using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Core.Tests.Inference;

/// <summary>
/// A generated chunk covering every input kind (scaled, unscaled and zero-std numbers, a boolean number,
/// text, numeric and boolean categories, a non-ASCII level) with missing values and unknown levels, its
/// feature spec and random coefficients; and the reference scoring through FeatureEncoder + LinearLoss.
/// </summary>
internal static class PredictorTestData
{
    public static readonly string[] Colors = ["red", "blue", "grün"];

    public static string[]? ClassesFor(LinearObjective objective) => objective switch
    {
        LinearObjective.Logistic => ["no", "yes"],
        LinearObjective.Softmax => ["a", "b", "c"],
        _ => null,
    };

    public static FeatureSpec Spec(LinearObjective objective) => new()
    {
        Numeric =
        [
            new NumericFeature("x1", 3.0, 2.0),
            new NumericFeature("x2", 0.5, 4.0, Standardize: false),
            new NumericFeature("x3", 1.0, 0.0),
            new NumericFeature("flag", 0.3, 0.45),
        ],
        Categorical =
        [
            new CategoricalFeature("color", Colors),
            new CategoricalFeature("size", ["1", "2", "2.5"]),
            new CategoricalFeature("ok", ["true"]),
        ],
        LabelColumn = "y",
        LabelKind = objective == LinearObjective.Squared ? LabelKind.Regression : LabelKind.Classification,
        Classes = ClassesFor(objective),
    };

    public static Frame Frame(LinearObjective objective, int rows, int seed)
    {
        var random = new Random(seed);
        var x1 = new double[rows];
        var x2 = new double[rows];
        var x3 = new double[rows];
        var flag = new byte[rows];
        var color = new string?[rows];
        var size = new double[rows];
        var ok = new byte[rows];
        var classes = ClassesFor(objective);
        var yNumber = new double[rows];
        var yText = new string?[rows];
        string?[] colorPool = ["red", "blue", "grün", "purple", null, "Red"];
        double[] sizePool = [1, 2, 2.5, 3, double.NaN, -0.0];
        for (var r = 0; r < rows; r++)
        {
            x1[r] = r % 7 == 3 ? double.NaN : 3 + (4 * random.NextDouble()) - 2;
            x2[r] = r % 11 == 5 ? double.NaN : 10 * random.NextDouble();
            x3[r] = r % 5 == 1 ? double.NaN : random.Next(3);
            flag[r] = r % 9 == 2 ? BooleanColumn.Missing : (byte)random.Next(2);
            color[r] = colorPool[random.Next(colorPool.Length)];
            size[r] = sizePool[random.Next(sizePool.Length)];
            ok[r] = r % 13 == 4 ? BooleanColumn.Missing : (byte)random.Next(2);
            yNumber[r] = random.NextDouble();
            yText[r] = classes is null ? null : classes[random.Next(classes.Length)];
        }

        Column label = classes is null ? new NumericColumn("y", yNumber) : new StringColumn("y", yText);
        Column[] columns =
        [
            new NumericColumn("x1", x1), new NumericColumn("x2", x2), new NumericColumn("x3", x3), new BooleanColumn("flag", flag),
            new StringColumn("color", color), new NumericColumn("size", size), new BooleanColumn("ok", ok), label,
        ];
        return new Frame(new DatasetSchema(columns.Select(c => new ColumnSchema(c.Name, c.Type)).ToArray()), columns, rows);
    }

    public static double[] Coefficients(FeatureSpec spec, LinearObjective objective, int seed, double scale = 1.0)
    {
        var random = new Random(seed);
        var count = LinearLoss.CoefficientCount(objective, spec.Width, spec.Classes?.Length ?? 1);
        return Enumerable.Range(0, count).Select(_ => scale * ((2 * random.NextDouble()) - 1)).ToArray();
    }

    /// <summary>Reference outputs (rows × outputs): encode, margins on the standardised scale, link applied here.</summary>
    public static double[] Expected(Frame frame, FeatureSpec spec, LinearObjective objective, double[] coefficients)
    {
        var (x, _, _) = FeatureEncoder.Encode(frame, spec, null);
        var blocks = LinearLoss.Blocks(objective, spec.Classes?.Length ?? 1);
        var margins = new double[blocks][];
        for (var k = 0; k < blocks; k++)
        {
            margins[k] = new double[x.Rows];
            LinearLoss.Margins(x, coefficients, k, margins[k]);
        }

        var outputs = objective == LinearObjective.Logistic ? 2 : blocks;
        var expected = new double[x.Rows * outputs];
        for (var r = 0; r < x.Rows; r++)
        {
            switch (objective)
            {
                case LinearObjective.Squared:
                    expected[r] = margins[0][r];
                    break;
                case LinearObjective.Logistic:
                    expected[2 * r] = 1 / (1 + Math.Exp(margins[0][r]));
                    expected[(2 * r) + 1] = 1 / (1 + Math.Exp(-margins[0][r]));
                    break;
                default:
                    var max = Enumerable.Range(0, blocks).Max(k => margins[k][r]);
                    var sum = Enumerable.Range(0, blocks).Sum(k => Math.Exp(margins[k][r] - max));
                    for (var k = 0; k < blocks; k++)
                    {
                        expected[(r * blocks) + k] = Math.Exp(margins[k][r] - max) / sum;
                    }

                    break;
            }
        }

        return expected;
    }

    /// <summary>Fills a row from a frame cell by cell, as a request handler would (text as chars or UTF-8).</summary>
    public static void Fill(RowBuffer row, Frame frame, int r, bool utf8)
    {
        row.Reset();
        for (var f = 0; f < row.FeatureCount; f++)
        {
            var column = frame.Columns[frame.Schema.IndexOf(row.Predictor.FeatureName(f))];
            var ok = column switch
            {
                NumericColumn n => row.TrySetNumeric(f, n.Values[r]),
                BooleanColumn b when b.Values[r] == BooleanColumn.Missing => SetMissing(row, f),
                BooleanColumn b => row.TrySetBoolean(f, b.Values[r] == 1),
                StringColumn { Values: var values } when values[r] is null => SetMissing(row, f),
                StringColumn s => utf8 ? row.TrySetCategorical(f, Encoding.UTF8.GetBytes(s.Values[r]!)) : row.TrySetCategorical(f, s.Values[r]),
                _ => false,
            };
            Assert.True(ok);
        }
    }

    /// <summary>The artifact JSON as ModelArtifact.Create writes it (Granary.Cluster is out of reach here).</summary>
    public static string Artifact(FeatureSpec spec, LinearObjective objective, double[] coefficients)
    {
        var flat = new JsonObject();
        var byClass = new JsonObject();
        var intercepts = new JsonObject();
        foreach (var c in CoefficientTransform.Describe(spec, coefficients))
        {
            var target = c.Class is null ? flat : (JsonObject)(byClass[c.Class] ??= new JsonObject());
            if (c.Feature == CoefficientTransform.InterceptName)
            {
                intercepts[c.Class ?? "value"] = c.Value;
            }
            else
            {
                target[c.Feature] = c.Value;
            }
        }

        var algorithm = objective switch
        {
            LinearObjective.Squared => "linear",
            LinearObjective.Logistic => "logistic",
            _ => "softmax",
        };
        var document = new JsonObject
        {
            ["format"] = "granary.linear/1",
            ["algorithm"] = algorithm,
            ["objective"] = objective.ToString().ToLowerInvariant(),
            ["fitIntercept"] = true,
            ["classes"] = spec.Classes is null ? null : new JsonArray(spec.Classes.Select(c => (JsonNode?)c).ToArray()),
            ["featureNames"] = new JsonArray(spec.FeatureNames.Select(n => (JsonNode?)n).ToArray()),
            ["features"] = JsonSerializer.SerializeToNode(spec),
            ["coefficients"] = objective == LinearObjective.Softmax ? byClass : flat,
            ["intercept"] = objective == LinearObjective.Softmax ? intercepts : intercepts["value"]?.DeepClone(),
            ["standardizedCoefficients"] = new JsonArray(coefficients.Select(c => (JsonNode?)c).ToArray()),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = 1e-12 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{context} [{i}]: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }

    private static bool SetMissing(RowBuffer row, int feature)
    {
        row.SetMissing(feature);
        return true;
    }
}
