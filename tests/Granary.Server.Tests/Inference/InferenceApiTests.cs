using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Granary.Server.Tests.Training;

namespace Granary.Server.Tests.Inference;

/// <summary>Predictions over HTTP (v1 and the Open Inference Protocol v2), checked against the model file's own formula.</summary>
public sealed class InferenceApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync();
        (await _node.PostAsync("/v1/datasets/d", TrainingData.Logistic(3000))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<int> TrainAsync(string model, double l2)
    {
        var job = await _node.SubmitAsync(new { type = "train", dataset = "d", label = "y", algorithm = "logistic", model, l2 });
        var done = await _node.WaitForJobAsync(job.GetProperty("id").GetString()!);
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        return done.GetProperty("result").GetProperty("version").GetInt32();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PredictAsync(string reference, object body)
    {
        using var response = await _node.Http.PostAsJsonAsync($"/v1/models/{reference}/predict", body);
        return (response.StatusCode, await NodeHost.ReadJsonAsync(response));
    }

    [Fact]
    public async Task Predict_Logistic_EqualsTheArtifactFormula()
    {
        var version = await TrainAsync("formula", 0.01);
        var artifact = (await _node.GetJsonAsync($"/v1/models/formula/versions/{version}")).GetProperty("artifact");
        var coefficients = artifact.GetProperty("coefficients");
        var means = artifact.GetProperty("features").GetProperty("numeric").EnumerateArray().ToDictionary(f => f.GetProperty("column").GetString()!, f => f.GetProperty("mean").GetDouble());
        var row = new Dictionary<string, object?> { ["a"] = 1.5, ["b"] = -0.5, ["c"] = null, ["e"] = 2.0, ["color"] = "purple" };

        var (status, body) = await PredictAsync("formula", new { rows = new[] { row } });

        Assert.Equal(HttpStatusCode.OK, status);
        // docs/models.md: missing numeric → mean; unknown level → "other"; p(class 1) = σ(intercept + Σ w·x).
        var margin = artifact.GetProperty("intercept").GetDouble();
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            var x = row.TryGetValue(name, out var v) && v is double d ? d : means[name];
            margin += coefficients.GetProperty(name).GetDouble() * x;
        }

        margin += coefficients.GetProperty("color=other").GetDouble();
        var expected = 1 / (1 + Math.Exp(-margin));
        var prediction = body.GetProperty("predictions")[0];
        Assert.Equal(expected, prediction.GetProperty("probabilities").GetProperty("1").GetDouble(), 1e-12);
        Assert.Equal(expected > 0.5 ? "1" : "0", prediction.GetProperty("prediction").GetString());
        Assert.Equal((version, "formula"), (body.GetProperty("version").GetInt32(), body.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task Predict_AliasMoved_SwapsVersionWithoutFailingARequest()
    {
        var v1 = await TrainAsync("swap", 0.001);
        var v2 = await TrainAsync("swap", 1.0);
        using (var put = await _node.Http.PutAsJsonAsync("/v1/models/swap/aliases/production", new { version = v1 }))
        {
            put.EnsureSuccessStatusCode();
        }

        var request = new { rows = new[] { new { a = 1.0, b = 1.0, color = "red" } } };
        Assert.Equal(v1, (await PredictAsync("swap", request)).Body.GetProperty("version").GetInt32());

        using var stop = new CancellationTokenSource();
        var answered = new List<int>();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (status, body) = await PredictAsync("swap", request);
                Assert.Equal(HttpStatusCode.OK, status);
                lock (answered)
                {
                    answered.Add(body.GetProperty("version").GetInt32());
                }
            }
        });

        await Task.Delay(200);
        using (var move = await _node.Http.PutAsJsonAsync("/v1/models/swap/aliases/production", new { version = v2 }))
        {
            move.EnsureSuccessStatusCode();
        }

        await Task.Delay(1500);
        await stop.CancelAsync();
        await load;

        Assert.Contains(v1, answered);
        Assert.Equal(v2, answered[^1]);
        Assert.Equal(v2, (await PredictAsync("swap@production", request)).Body.GetProperty("version").GetInt32());
        Assert.Equal(v1, (await PredictAsync($"swap@{v1}", request)).Body.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("ghost", 404, "model_not_found")]
    [InlineData("Bad!", 400, "invalid_name")]
    public async Task Predict_BadReference_Problem(string reference, int status, string code)
    {
        var (actual, body) = await PredictAsync(reference, new { rows = new[] { new { a = 1 } } });
        Assert.Equal(status, (int)actual);
        Assert.Equal(code, body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Predict_BadInput_ProblemNamingTheField()
    {
        await TrainAsync("strict", 0.01);
        var (status, body) = await PredictAsync("strict", new { rows = new object[] { new { a = 1 }, new { a = "high" } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("invalid_value", "a", 1), (body.GetProperty("code").GetString(), body.GetProperty("field").GetString(), body.GetProperty("row").GetInt32()));

        Assert.Equal("invalid_argument", (await PredictAsync("strict", new { rows = Array.Empty<object>() })).Body.GetProperty("code").GetString());
        Assert.Equal("version_not_found", (await PredictAsync("strict@9", new { rows = new[] { new { a = 1 } } })).Body.GetProperty("code").GetString());
        Assert.Equal("alias_not_found", (await PredictAsync("strict@canary", new { rows = new[] { new { a = 1 } } })).Body.GetProperty("code").GetString());
        using var broken = await _node.PostAsync("/v1/models/strict/predict", "{\"rows\": [", "application/json");
        Assert.Equal("invalid_json", (await NodeHost.ReadJsonAsync(broken)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task V2_MetadataReadyAndInfer_MatchV1()
    {
        await TrainAsync("oip", 0.01);
        var metadata = await _node.GetJsonAsync("/v2/models/oip");
        Assert.Equal(["a", "b", "c", "d", "e", "color"], metadata.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.True((await _node.GetJsonAsync("/v2/models/oip/ready")).GetProperty("ready").GetBoolean());
        Assert.True((await _node.GetJsonAsync("/v2/health/ready")).GetProperty("ready").GetBoolean());

        var infer = new
        {
            id = "r1",
            inputs = new object[]
            {
                new { name = "a", shape = new[] { 2 }, datatype = "FP64", data = new[] { 1.0, -1.0 } },
                new { name = "color", shape = new[] { 2, 1 }, datatype = "BYTES", data = new[] { "red", "blue" } },
            },
        };
        using var response = await _node.Http.PostAsJsonAsync("/v2/models/oip/infer", infer);
        var body = await NodeHost.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("oip", "r1"), (body.GetProperty("model_name").GetString(), body.GetProperty("id").GetString()));
        var probabilities = body.GetProperty("outputs")[1].GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var v1 = (await PredictAsync("oip", new { rows = new object[] { new { a = 1.0, color = "red" }, new { a = -1.0, color = "blue" } } })).Body;
        Assert.Equal(v1.GetProperty("predictions")[0].GetProperty("probabilities").GetProperty("1").GetDouble(), probabilities[1], 1e-15);
        Assert.Equal(v1.GetProperty("predictions")[1].GetProperty("probabilities").GetProperty("1").GetDouble(), probabilities[3], 1e-15);

        var bad = new { inputs = new object[] { new { name = "a", shape = new[] { 3 }, datatype = "FP64", data = new[] { 1.0 } } } };
        using var badResponse = await _node.Http.PostAsJsonAsync("/v2/models/oip/infer", bad);
        Assert.Equal(HttpStatusCode.BadRequest, badResponse.StatusCode);
        Assert.Equal("invalid_tensor", (await NodeHost.ReadJsonAsync(badResponse)).GetProperty("code").GetString());
    }
}
