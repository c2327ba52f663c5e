using System.Text;
using System.Text.Json;
using Granary.Core.Data;
using Granary.Core.Features;
using Granary.Core.Ingest;
using Granary.Core.Linear;

namespace Granary.Server.Tests.Training;

/// <summary>Training through the HTTP API, checked against independent computations.</summary>
public sealed class TrainingApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonElement> TrainAsync(string dataset, string csv, object spec)
    {
        (await _node.PostAsync($"/v1/datasets/{dataset}", csv)).EnsureSuccessStatusCode();
        var job = await _node.SubmitAsync(spec);
        var done = await _node.WaitForJobAsync(job.GetProperty("id").GetString()!);
        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        var result = done.GetProperty("result");
        return await _node.GetJsonAsync($"/v1/models/{result.GetProperty("model").GetString()}/versions/{result.GetProperty("version").GetInt32()}");
    }

    [Fact]
    public async Task Train_Logistic_EqualsSingleProcessSolverOnSameEncoding()
    {
        var csv = TrainingData.Logistic(6000);
        var version = await TrainAsync("logit", csv, new
        {
            type = "train", dataset = "logit", label = "y", algorithm = "logistic", model = "logit-model", l2 = 1e-3, tolerance = 1e-10, maxIterations = 200,
        });
        var artifact = version.GetProperty("artifact");
        var spec = artifact.GetProperty("features").Deserialize<FeatureSpec>(Granary.Client.GranaryJson.Options)!;
        var distributed = artifact.GetProperty("standardizedCoefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // The reference: the same encoding of the same rows, solved in this process in one block.
        var frames = new List<Frame>();
        await foreach (var frame in new CsvTabularReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new IngestOptions(), CancellationToken.None))
        {
            frames.Add(frame);
        }

        var blocks = frames.Select(f => FeatureEncoder.Encode(f, spec, null).Train).ToList();
        var local = LocalLinearSolver.Fit(blocks, new LinearFitOptions { Objective = LinearObjective.Logistic, L2 = 1e-3, Tolerance = 1e-10, MaxIterations = 200 });

        Assert.Equal(local.Coefficients.Length, distributed.Length);
        for (var i = 0; i < distributed.Length; i++)
        {
            Assert.True(Math.Abs(distributed[i] - local.Coefficients[i]) <= 1e-5 * Math.Max(1, Math.Abs(local.Coefficients[i])),
                $"coefficient {i}: distributed {distributed[i]} vs local {local.Coefficients[i]}");
        }

        // And on the original scale it recovers the generating weights (per unit of the scaled feature).
        var coefficients = artifact.GetProperty("coefficients");
        for (var j = 0; j < TrainingData.LogisticWeights.Length; j++)
        {
            var name = ((char)('a' + j)).ToString();
            var recovered = coefficients.GetProperty(name).GetDouble() * (1 + j);
            Assert.InRange(recovered, TrainingData.LogisticWeights[j] - 0.2, TrainingData.LogisticWeights[j] + 0.2);
        }

        Assert.Equal("logit@1", version.GetProperty("dataset").GetString());
        Assert.InRange(version.GetProperty("metrics").GetProperty("train").GetProperty("accuracy").GetDouble(), 0.7, 1.0);
    }

    [Fact]
    public async Task Train_RidgeOnRawFeatures_EqualsClosedForm()
    {
        var csv = TrainingData.Regression(3000);
        const double l2 = 0.5;
        var version = await TrainAsync("ridge", csv, new
        {
            type = "train", dataset = "ridge", label = "y", algorithm = "linear", model = "ridge-model", l2, standardize = false, tolerance = 1e-12, maxIterations = 500,
        });
        var coefficients = version.GetProperty("artifact").GetProperty("standardizedCoefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // Closed form: minimise (1/2n)‖Xβ + b − y‖² + (λ/2)‖β‖² → (XᵀX/n + λI′)θ = Xᵀy/n with θ = (β, b), I′ without the intercept.
        var rows = TrainingData.ParseNumeric(csv);
        var n = rows.Length;
        var a = new double[4, 4];
        var rhs = new double[4];
        foreach (var row in rows)
        {
            double[] x = [row[0], row[1], row[2], 1.0];
            for (var i = 0; i < 4; i++)
            {
                rhs[i] += x[i] * row[3] / n;
                for (var j = 0; j < 4; j++)
                {
                    a[i, j] += x[i] * x[j] / n;
                }
            }
        }

        for (var i = 0; i < 3; i++)
        {
            a[i, i] += l2;
        }

        var expected = Solve(a, rhs);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(coefficients[i] - expected[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"θ{i}: {coefficients[i]} vs closed form {expected[i]}");
        }

        Assert.InRange(version.GetProperty("metrics").GetProperty("train").GetProperty("r2").GetDouble(), 0.9, 1.0);
    }

    [Fact]
    public async Task Train_L1_GivesExactZerosForIrrelevantFeatures()
    {
        var version = await TrainAsync("sparse", TrainingData.Logistic(4000, seed: 3), new
        {
            type = "train", dataset = "sparse", label = "y", algorithm = "logistic", model = "sparse-model", features = new[] { "a", "b", "c", "d", "e" }, l1 = 0.05,
        });
        var coefficients = version.GetProperty("artifact").GetProperty("coefficients");

        Assert.Equal(0.0, coefficients.GetProperty("d").GetDouble());
        Assert.NotEqual(0.0, coefficients.GetProperty("b").GetDouble());
        Assert.NotEqual(0.0, coefficients.GetProperty("e").GetDouble());
    }

    [Fact]
    public async Task Train_Softmax_ThreeClassesRegistered()
    {
        var version = await TrainAsync("multi", TrainingData.Logistic(3000, seed: 5), new
        {
            type = "train", dataset = "multi", label = "color", algorithm = "softmax", model = "multi-model", features = new[] { "a", "b", "y" }, l2 = 0.01,
        });
        var artifact = version.GetProperty("artifact");
        Assert.Equal(["blue", "green", "red"], artifact.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(3, artifact.GetProperty("coefficients").EnumerateObject().Count());
    }

    [Fact]
    public async Task Train_ValidationDataset_RecordsItsLossPerIteration()
    {
        (await _node.PostAsync("/v1/datasets/holdout", TrainingData.Logistic(2000, seed: 99))).EnsureSuccessStatusCode();
        var version = await TrainAsync("fit", TrainingData.Logistic(4000, seed: 98), new
        {
            type = "train", dataset = "fit", label = "y", algorithm = "logistic", model = "with-holdout", l2 = 0.01, validation = new { dataset = "holdout" },
        });

        var metrics = version.GetProperty("metrics");
        Assert.Equal(2000, metrics.GetProperty("validation").GetProperty("rows").GetInt64());
        Assert.Equal(4000, metrics.GetProperty("train").GetProperty("rows").GetInt64());
        var curve = version.GetProperty("lossCurve");
        Assert.Equal(curve.GetProperty("objective").GetArrayLength(), curve.GetProperty("validation").GetArrayLength());
        Assert.All(curve.GetProperty("validation").EnumerateArray(), v => Assert.InRange(v.GetDouble(), 0.05, 1.0));
        Assert.Equal("holdout@1", version.GetProperty("parameters").GetProperty("validation").GetProperty("dataset").GetString());
    }

    [Fact]
    public async Task Train_CrossValidation_FoldsPartitionTheRowsAndReportSpread()
    {
        var version = await TrainAsync("cv", TrainingData.Logistic(3000, seed: 12), new
        {
            type = "train", dataset = "cv", label = "y", algorithm = "logistic", model = "cv-model", l2 = 0.01, crossValidation = new { folds = 5 },
        });

        var cv = version.GetProperty("metrics").GetProperty("crossValidation");
        Assert.Equal(5, cv.GetProperty("folds").GetInt32());
        var rows = cv.GetProperty("validation").GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(5, rows.Length);
        Assert.Equal(3000, rows.Sum());
        Assert.All(rows, r => Assert.InRange(r, 450, 750));
        var accuracy = cv.GetProperty("validation").GetProperty("accuracy");
        Assert.InRange(accuracy.GetProperty("mean").GetDouble(), 0.6, 1.0);
        Assert.InRange(accuracy.GetProperty("std").GetDouble(), 0.0, 0.1);
        Assert.Equal(3000, version.GetProperty("metrics").GetProperty("train").GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Train_ManyLevels_OneHotUpToMaxCategoriesPlusOther()
    {
        var text = new System.Text.StringBuilder("x,city,y\n");
        var random = new Random(3);
        for (var i = 0; i < 3000; i++)
        {
            var city = $"c{i % 15:D2}";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{random.NextDouble()},{city},{(random.NextDouble() < 0.5 ? 1 : 0)}\n");
        }

        var version = await TrainAsync("cities", text.ToString(), new
        {
            type = "train", dataset = "cities", label = "y", algorithm = "logistic", model = "cities-model", l2 = 0.1, maxCategories = 12,
        });

        var names = version.GetProperty("artifact").GetProperty("featureNames").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Equal(12, names.Count(n => n.StartsWith("city=c", StringComparison.Ordinal)));
        Assert.Contains("city=other", names);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (var k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }

            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (var r = col + 1; r < n; r++)
            {
                var factor = m[r, col] / m[col, col];
                for (var k = col; k < n; k++)
                {
                    m[r, k] -= factor * m[col, k];
                }

                x[r] -= factor * x[col];
            }
        }

        for (var r = n - 1; r >= 0; r--)
        {
            for (var k = r + 1; k < n; k++)
            {
                x[r] -= m[r, k] * x[k];
            }

            x[r] /= m[r, r];
        }

        return x;
    }
}
