using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>kill -9 of the node while it trains: the restarted node resumes the job from its checkpoint and registers the same model.</summary>
[Trait("Category", "EndToEnd")]
public sealed class KillDuringTrainingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("granary-killtrain-").FullName;

    [Fact]
    public async Task Kill9_MidTraining_ResumesFromCheckpointToTheSameModel()
    {
        // Many small chunks make every pass hundreds of grain calls, so training lasts long enough to be killed mid-way.
        string[] settings = ["--Jobs:RenewInterval=00:00:00.100", "--Datasets:ChunkRows=250"];
        object Spec(string model) => new { type = "train", dataset = "k", label = "y", algorithm = "logistic", model, l2 = 1e-6, tolerance = 1e-15, maxIterations = 400, standardize = false };
        string jobId;
        await using (var node = await NodeProcess.StartAsync(_data, settings))
        {
            using var http = new HttpClient { BaseAddress = node.Address };
            using (var upload = new ByteArrayContent(Encoding.UTF8.GetBytes(Csv(60000))))
            {
                upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
                (await http.PostAsync("/v1/datasets/k", upload)).EnsureSuccessStatusCode();
            }

            var reference = await WaitAsync(http, await SubmitAsync(http, Spec("uninterrupted")));
            Assert.Equal("succeeded", reference.GetProperty("state").GetString());

            jobId = await SubmitAsync(http, Spec("killed"));
            for (var i = 0; i < 1000; i++)
            {
                var job = await GetAsync(http, $"/v1/jobs/{jobId}");
                if (job.GetProperty("step").GetString() is { } step && step.StartsWith("iteration ", StringComparison.Ordinal) &&
                    int.Parse(step.Split(' ', ':')[1], CultureInfo.InvariantCulture) >= 3)
                {
                    break;
                }

                await Task.Delay(10);
            }

            Assert.Equal("running", (await GetAsync(http, $"/v1/jobs/{jobId}")).GetProperty("state").GetString());
            await node.KillAsync();
        }

        await using (var restarted = await NodeProcess.StartAsync(_data, settings))
        {
            using var http = new HttpClient { BaseAddress = restarted.Address };
            var resumed = await WaitAsync(http, jobId);
            Assert.Equal("succeeded", resumed.GetProperty("state").GetString());
            Assert.Equal(2, resumed.GetProperty("attempt").GetInt32());

            var a = await GetAsync(http, "/v1/models/uninterrupted/versions/1");
            var b = await GetAsync(http, "/v1/models/killed/versions/1");
            Assert.Equal(Coefficients(a), Coefficients(b));
            Assert.Single((await GetAsync(http, "/v1/models/killed")).GetProperty("versions").EnumerateArray());
        }
    }

    private static IEnumerable<double> Coefficients(JsonElement version) =>
        version.GetProperty("artifact").GetProperty("standardizedCoefficients").EnumerateArray().Select(e => e.GetDouble()).ToList();

    private static string Csv(int rows)
    {
        var random = new Random(5);
        var text = new StringBuilder("a,b,c,y\n");
        for (var i = 0; i < rows; i++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 4 - 2, c = random.NextDouble() * 4 - 2;
            var y = random.NextDouble() < 1 / (1 + Math.Exp(-(a - (2 * b) + (0.5 * c)))) ? 1 : 0;
            // Raw features on very different scales make the problem ill-conditioned, so training runs long enough to be killed.
            text.Append(CultureInfo.InvariantCulture, $"{a:R},{b * 50:R},{c * 0.02:R},{y}\n");
        }

        return text.ToString();
    }

    private static async Task<string> SubmitAsync(HttpClient http, object spec)
    {
        using var response = await http.PostAsJsonAsync("/v1/jobs", spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitAsync(HttpClient http, string id)
    {
        for (var i = 0; i < 1200; i++)
        {
            var job = await GetAsync(http, $"/v1/jobs/{id}");
            if (job.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"job {id} did not finish");
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
