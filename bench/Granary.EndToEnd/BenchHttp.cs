using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Granary.EndToEnd;

/// <summary>Arguments, output and the few HTTP calls the cluster benchmarks share.</summary>
public static class BenchHttp
{
    public static async Task<int> UploadAsync(HttpClient http, string dataset, string csvPath)
    {
        await using var file = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var content = new StreamContent(file, 1 << 20);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await http.PostAsync($"/v1/datasets/{dataset}", content);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("chunks").GetArrayLength();
    }

    public static async Task<string> SubmitAsync(HttpClient http, object spec)
    {
        using var response = await http.PostAsync("/v1/jobs", new StringContent(JsonSerializer.Serialize(spec), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Submit failed: {(int)response.StatusCode} {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(path));
        return document.RootElement.Clone();
    }

    /// <summary>Polls a job until it ends (every 20 ms unless told); throws unless it succeeded.</summary>
    public static async Task<JsonElement> WaitSucceededAsync(HttpClient http, string id, TimeSpan? every = null)
    {
        JsonElement job;
        do
        {
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(20));
            job = await GetAsync(http, $"/v1/jobs/{id}");
        }
        while (job.GetProperty("state").GetString() is "queued" or "running");

        return job.GetProperty("state").GetString() == "succeeded" ? job : throw new InvalidOperationException($"Job failed: {job}");
    }

    /// <summary>The server's own start-to-finish time of an ended job.</summary>
    public static double WallSeconds(JsonElement job) =>
        (job.GetProperty("finishedAt").GetDateTimeOffset() - job.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;

    /// <summary>The last completed iteration a training job reports in its step ("iteration 5: loss ..."), or -1.</summary>
    public static int Iteration(JsonElement job) =>
        job.TryGetProperty("step", out var step) && step.GetString() is { } text && text.StartsWith("iteration ", StringComparison.Ordinal)
            ? int.Parse(text.Split(' ', ':')[1], CultureInfo.InvariantCulture)
            : -1;

    /// <summary>The median, or null (JSON null) for no values.</summary>
    public static double? Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Every value given with <c>--node-arg</c> (repeatable): extra settings for every node, e.g. <c>--Jobs:PollInterval=00:00:00.2</c>.</summary>
    public static string[] NodeArgs(string[] args) =>
        [.. args.Select((arg, i) => (arg, i)).Where(p => p.arg == "--node-arg" && p.i + 1 < args.Length).Select(p => args[p.i + 1])];

    public static void Emit(object value) => Console.WriteLine(JsonSerializer.Serialize(value));

    public static async Task<T> WithTimeoutAsync<T>(Func<Task<T>> poll, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await poll();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F0} s");
            }

            await Task.Delay(50);
        }
    }
}
