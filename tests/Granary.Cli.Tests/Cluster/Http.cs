using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Granary.Cli.Tests.Cluster;

/// <summary>The few HTTP calls the cluster tests make, on plain HttpClients pointed at one node or another.</summary>
internal static class Http
{
    public static async Task UploadCsvAsync(HttpClient http, string dataset, string csv)
    {
        using var upload = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var response = await http.PostAsync($"/v1/datasets/{dataset}", upload);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<string> SubmitAsync(HttpClient http, object spec)
    {
        using var response = await http.PostAsJsonAsync("/v1/jobs", spec);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> WaitAsync(HttpClient http, string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        while (DateTime.UtcNow < deadline)
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

    /// <summary>Waits until a training job has completed <paramref name="iterations"/> iterations; returns the job.</summary>
    public static async Task<JsonElement> WaitForIterationAsync(HttpClient http, string id, int iterations)
    {
        for (var i = 0; i < 3000; i++)
        {
            var job = await GetAsync(http, $"/v1/jobs/{id}");
            if (Iteration(job) >= iterations && job.GetProperty("state").GetString() == "running" && job.GetProperty("node").ValueKind == JsonValueKind.String)
            {
                return job;
            }

            // A retry here would mean a run failed in a healthy cluster.
            Assert.Equal(1, job.GetProperty("attempt").ValueKind == JsonValueKind.Number ? Math.Max(1, job.GetProperty("attempt").GetInt32()) : 1);

            Assert.NotEqual("succeeded", job.GetProperty("state").GetString());
            await Task.Delay(10);
        }

        throw new TimeoutException($"job {id} did not reach iteration {iterations}");
    }

    public static int Iteration(JsonElement job) =>
        job.GetProperty("step").GetString() is { } step && step.StartsWith("iteration ", StringComparison.Ordinal)
            ? int.Parse(step.Split(' ', ':')[1], CultureInfo.InvariantCulture)
            : -1;

    public static async Task<JsonElement> GetAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();

    public static IReadOnlyList<double> Coefficients(JsonElement version) =>
        version.GetProperty("artifact").GetProperty("standardizedCoefficients").EnumerateArray().Select(e => e.GetDouble()).ToList();

    /// <summary>Logistic data with raw features on very different scales (for uploads and scoring).</summary>
    public static string LogisticCsv(int rows, int seed = 5)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,c,y\n");
        for (var i = 0; i < rows; i++)
        {
            double a = random.NextDouble() * 4 - 2, b = random.NextDouble() * 4 - 2, c = random.NextDouble() * 4 - 2;
            var y = random.NextDouble() < 1 / (1 + Math.Exp(-(a - (2 * b) + (0.5 * c)))) ? 1 : 0;
            text.Append(CultureInfo.InvariantCulture, $"{a:R},{b * 50:R},{c * 0.02:R},{y}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Badly conditioned logistic data for the tests that kill a node mid-training: eight nearly collinear
    /// features (each the previous one plus 1 % of its own noise) on scales from 0.01 to 100. Unstandardised
    /// L-BFGS needs a few hundred iterations on it, however fast the machine, so a run cannot finish between
    /// two polls of its progress (with easier data one ended in about 0.6 s on a fast machine and a test missed it).
    /// </summary>
    public static string SlowToFitCsv(int rows, int seed = 5)
    {
        const int features = 8;
        var random = new Random(seed);
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, features).Select(j => $"x{j}")) + ",y\n");
        Span<double> z = stackalloc double[features];
        for (var i = 0; i < rows; i++)
        {
            var score = 0.0;
            for (var j = 0; j < features; j++)
            {
                z[j] = random.NextDouble() * 4 - 2;
                score += (j % 2 == 0 ? 0.5 : -0.5) * z[j];
            }

            for (var j = 0; j < features; j++)
            {
                var x = j == 0 ? z[0] : z[j - 1] + 0.01 * z[j];
                text.Append(CultureInfo.InvariantCulture, $"{x * Math.Pow(10, (j % 5) - 2):R},");
            }

            text.Append(random.NextDouble() < 1 / (1 + Math.Exp(-score)) ? "1\n" : "0\n");
        }

        return text.ToString();
    }

    public static object TrainSpec(string dataset, string model) => new
    {
        type = "train", dataset, label = "y", algorithm = "logistic", model, l2 = 1e-6, tolerance = 1e-15, maxIterations = 1000, standardize = false,
    };
}
