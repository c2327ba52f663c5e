using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Granary.Server.Tests.Training;

namespace Granary.Server.Tests.Inference;

/// <summary>Evaluation jobs: exact metrics over all chunks, checked against independent computations.</summary>
public sealed class EvaluationApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync("--Datasets:ChunkRows=97");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonElement> RunAsync(object spec)
    {
        var job = await _node.SubmitAsync(spec);
        var done = await _node.WaitForJobAsync(job.GetProperty("id").GetString()!);
        Assert.True(done.GetProperty("state").GetString() == "succeeded", done.ToString());
        return done.GetProperty("result");
    }

    [Fact]
    public async Task Evaluate_TwoModels_AucAccuracyLogLossMatchIndependentComputation()
    {
        (await _node.PostAsync("/v1/datasets/train", TrainingData.Logistic(2000, seed: 1))).EnsureSuccessStatusCode();
        var holdout = TrainingData.Logistic(400, seed: 2);
        (await _node.PostAsync("/v1/datasets/holdout", holdout)).EnsureSuccessStatusCode();
        await RunAsync(new { type = "train", dataset = "train", label = "y", algorithm = "logistic", model = "judged", l2 = 0.01 });
        await RunAsync(new { type = "train", dataset = "train", label = "y", algorithm = "logistic", model = "judged", l2 = 5.0 });

        var result = await RunAsync(new { type = "evaluate", dataset = "holdout", models = new[] { "judged@1", "judged@2" } });
        var evaluation = await _node.GetJsonAsync($"/v1/evaluations/{result.GetProperty("evaluation").GetString()}");
        Assert.Equal("holdout@1", evaluation.GetProperty("dataset").GetString());
        Assert.Equal([1, 2], evaluation.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("version").GetInt32()));

        // Independent: the same rows scored over HTTP, AUC by counting pairs, accuracy and log-loss by definition.
        var lines = holdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        var rows = lines.Select(p => new Dictionary<string, object>
        {
            ["a"] = double.Parse(p[0], CultureInfo.InvariantCulture), ["b"] = double.Parse(p[1], CultureInfo.InvariantCulture),
            ["c"] = double.Parse(p[2], CultureInfo.InvariantCulture), ["d"] = double.Parse(p[3], CultureInfo.InvariantCulture),
            ["e"] = double.Parse(p[4], CultureInfo.InvariantCulture), ["color"] = p[5],
        }).ToList();
        var labels = lines.Select(p => int.Parse(p[6], CultureInfo.InvariantCulture)).ToArray();
        foreach (var model in evaluation.GetProperty("models").EnumerateArray())
        {
            using var response = await _node.Http.PostAsJsonAsync($"/v1/models/judged@{model.GetProperty("version").GetInt32()}/predict", new { rows });
            var scores = (await NodeHost.ReadJsonAsync(response)).GetProperty("predictions").EnumerateArray()
                .Select(p => p.GetProperty("probabilities").GetProperty("1").GetDouble()).ToArray();
            var report = model.GetProperty("report").GetProperty("classification");

            double pairs = 0, wins = 0;
            for (var i = 0; i < scores.Length; i++)
            {
                for (var j = 0; j < scores.Length; j++)
                {
                    if (labels[i] == 1 && labels[j] == 0)
                    {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }

            var accuracy = scores.Select((s, i) => (s >= 0.5 ? 1 : 0) == labels[i] ? 1.0 : 0.0).Average();
            var logLoss = -scores.Select((s, i) => labels[i] == 1 ? Math.Log(Math.Clamp(s, 1e-15, 1 - 1e-15)) : Math.Log(Math.Clamp(1 - s, 1e-15, 1 - 1e-15))).Average();
            Assert.Equal(wins / pairs, report.GetProperty("rocAuc").GetDouble(), 1e-12);
            Assert.Equal(accuracy, report.GetProperty("accuracy").GetDouble(), 1e-12);
            Assert.Equal(logLoss, report.GetProperty("logLoss").GetDouble(), 1e-9);
        }

        var id = evaluation.GetProperty("id").GetString();
        foreach (var plot in new[] { "roc.svg", "pr.svg", "calibration.svg", "confusion.svg", "confusion.svg?model=1" })
        {
            using var svg = await _node.Http.GetAsync($"/v1/evaluations/{id}/plots/{plot}");
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
            var document = System.Xml.Linq.XDocument.Parse(await svg.Content.ReadAsStringAsync());
            Assert.Equal("svg", document.Root!.Name.LocalName);
        }

        using (var roc = await _node.Http.GetAsync($"/v1/evaluations/{id}/plots/roc.svg"))
        {
            Assert.Equal(2, System.Xml.Linq.XDocument.Parse(await roc.Content.ReadAsStringAsync()).Descendants().Count(e => e.Name.LocalName == "polyline"));
        }

        using (var residuals = await _node.Http.GetAsync($"/v1/evaluations/{id}/plots/residuals.svg"))
        {
            Assert.Equal("plot_not_available", (await NodeHost.ReadJsonAsync(residuals)).GetProperty("code").GetString());
        }

        var versionInfo = await _node.GetJsonAsync("/v1/models/judged/versions/1");
        Assert.Equal([evaluation.GetProperty("id").GetString()], versionInfo.GetProperty("evaluations").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Evaluate_Regression_RmseAndR2MatchDirectComputation()
    {
        var csv = TrainingData.Regression(600, seed: 4);
        (await _node.PostAsync("/v1/datasets/reg", csv)).EnsureSuccessStatusCode();
        await RunAsync(new { type = "train", dataset = "reg", label = "y", algorithm = "linear", model = "line", l2 = 0.01 });
        var result = await RunAsync(new { type = "evaluate", dataset = "reg", models = new[] { "line" } });
        var report = (await _node.GetJsonAsync($"/v1/evaluations/{result.GetProperty("evaluation").GetString()}"))
            .GetProperty("models")[0].GetProperty("report").GetProperty("regression");

        var data = TrainingData.ParseNumeric(csv);
        using var response = await _node.Http.PostAsJsonAsync("/v1/models/line/predict", new { rows = data.Select(r => new { a = r[0], b = r[1], c = r[2] }) });
        var predictions = (await NodeHost.ReadJsonAsync(response)).GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("prediction").GetDouble()).ToArray();
        var y = data.Select(r => r[3]).ToArray();
        var sse = predictions.Select((p, i) => (p - y[i]) * (p - y[i])).Sum();
        var mean = y.Average();
        Assert.Equal(Math.Sqrt(sse / y.Length), report.GetProperty("rmse").GetDouble(), 1e-9);
        Assert.Equal(1 - (sse / y.Sum(v => (v - mean) * (v - mean))), report.GetProperty("r2").GetDouble(), 1e-9);
        using var plot = await _node.Http.GetAsync($"/v1/evaluations/{result.GetProperty("evaluation").GetString()}/plots/residuals.svg");
        Assert.Equal(HttpStatusCode.OK, plot.StatusCode);
        Assert.Contains("<rect", await plot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_BatchJob_WritesScoredDatasetMatchingOnlinePredictions()
    {
        (await _node.PostAsync("/v1/datasets/fit", TrainingData.Logistic(1500, seed: 5))).EnsureSuccessStatusCode();
        (await _node.PostAsync("/v1/datasets/new-rows", TrainingData.Logistic(500, seed: 6))).EnsureSuccessStatusCode();
        await RunAsync(new { type = "train", dataset = "fit", label = "y", algorithm = "logistic", model = "scorer", l2 = 0.01 });

        var result = await RunAsync(new { type = "predict", model = "scorer", dataset = "new-rows", output = "scored" });
        Assert.Equal(("scored", 1, 500L), (result.GetProperty("dataset").GetString(), result.GetProperty("version").GetInt32(), result.GetProperty("rows").GetInt64()));

        var scored = await _node.GetJsonAsync("/v1/datasets/scored/versions/1");
        Assert.Equal(6, scored.GetProperty("chunks").GetArrayLength());
        Assert.Equal(["a", "b", "c", "d", "e", "color", "y", "prediction", "probability_0", "probability_1"],
            scored.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var preview = (await _node.GetJsonAsync("/v1/datasets/scored/preview?limit=150")).GetProperty("rows");
        var rows = preview.EnumerateArray().Select(r => new { a = r.GetProperty("a").GetDouble(), b = r.GetProperty("b").GetDouble(), c = r.GetProperty("c").GetDouble(),
            d = r.GetProperty("d").GetDouble(), e = r.GetProperty("e").GetDouble(), color = r.GetProperty("color").GetString() }).ToList();
        using var online = await _node.Http.PostAsJsonAsync("/v1/models/scorer/predict", new { rows });
        var predictions = (await NodeHost.ReadJsonAsync(online)).GetProperty("predictions").EnumerateArray().ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(predictions[i].GetProperty("probabilities").GetProperty("1").GetDouble(), preview[i].GetProperty("probability_1").GetDouble(), 1e-12);
            Assert.Equal(predictions[i].GetProperty("prediction").GetString(), preview[i].GetProperty("prediction").GetString());
        }

        using var same = await _node.PostAsync("/v1/jobs", "{\"type\":\"predict\",\"model\":\"scorer\",\"dataset\":\"new-rows\",\"output\":\"new-rows\"}", "application/json");
        Assert.Equal("invalid_spec", (await NodeHost.ReadJsonAsync(same)).GetProperty("code").GetString());
        using var clash = await _node.PostAsync("/v1/jobs", "{\"type\":\"predict\",\"model\":\"scorer\",\"dataset\":\"scored\",\"output\":\"again\"}", "application/json");
        Assert.Equal("invalid_spec", (await NodeHost.ReadJsonAsync(clash)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"type\":\"evaluate\",\"dataset\":\"nope\",\"models\":[\"m\"]}", 404, "dataset_not_found")]
    [InlineData("{\"type\":\"evaluate\",\"dataset\":\"e\",\"models\":[\"ghost\"]}", 404, "model_not_found")]
    [InlineData("{\"type\":\"evaluate\",\"dataset\":\"e\",\"models\":[]}", 400, "invalid_spec")]
    public async Task Evaluate_BadSpec_Problem(string body, int status, string code)
    {
        (await _node.PostAsync("/v1/datasets/e", "x,y\n1,2\n")).EnsureSuccessStatusCode();
        using var response = await _node.PostAsync("/v1/jobs", body, "application/json");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task GetEvaluation_Unknown_404()
    {
        using var response = await _node.Http.GetAsync("/v1/evaluations/eval-nothing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("evaluation_not_found", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }
}
