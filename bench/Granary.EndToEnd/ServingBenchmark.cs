using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Granary.EndToEnd;

/// <summary>
/// `--serving [--seconds S]`: trains a 32-feature logistic model on a fresh node, then drives it with wrk over
/// loopback: the trivial /healthz endpoint (the ceiling of this Kestrel), one row per predict request, and
/// 1,000 rows per request, each at 64 connections, plus latency at 1 and 8 connections. Prints JSON lines.
/// wrk has no fixed-rate mode, so "latency at half the maximum rate" is approximated by fewer connections.
/// </summary>
public static partial class ServingBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.WriteLine(JsonSerializer.Serialize(new { bench = "serving", skipped = "wrk is not installed (apt-get install wrk)" }));
            return;
        }

        var seconds = args.Contains("--seconds") ? int.Parse(args[Array.IndexOf(args, "--seconds") + 1], CultureInfo.InvariantCulture) : 10;
        var work = Directory.CreateTempSubdirectory("granary-serving-").FullName;
        try
        {
            var csv = Path.Combine(work, "train.csv");
            ClassificationData.WriteCsv(csv, 50_000, 32, seed: 42);
            await using var node = await NodeProcess.StartAsync(Path.Combine(work, "node"));
            using var http = new HttpClient { BaseAddress = node.Address };
            using (var content = new StreamContent(File.OpenRead(csv)))
            {
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
                (await http.PostAsync("/v1/datasets/serve", content)).EnsureSuccessStatusCode();
            }

            var spec = JsonSerializer.Serialize(new { type = "train", dataset = "serve", label = "label", algorithm = "logistic", model = "serve", l2 = 1e-4 });
            var id = JsonDocument.Parse(await (await http.PostAsync("/v1/jobs", new StringContent(spec, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())
                .RootElement.GetProperty("id").GetString();
            while (JsonDocument.Parse(await http.GetStringAsync($"/v1/jobs/{id}")).RootElement.GetProperty("state").GetString() is "queued" or "running")
            {
                await Task.Delay(50);
            }

            var row = ClassificationData.Rows(1, 32, seed: 7).Single().Features;
            var one = JsonSerializer.Serialize(new { rows = new[] { Row(row) } });
            var thousand = JsonSerializer.Serialize(new { rows = ClassificationData.Rows(1000, 32, seed: 8).Select(r => Row(r.Features)).ToArray() });
            var url = node.Address.ToString().TrimEnd('/');

            var trivial = Wrk(work, $"{url}/healthz", null, 64, seconds);
            Emit("trivial_64", trivial, 1);
            var predict = Wrk(work, $"{url}/v1/models/serve/predict", one, 64, seconds);
            Emit("predict_1row_64", predict, 1);
            Console.WriteLine(JsonSerializer.Serialize(new { bench = "predict_vs_trivial", ratio = predict.Rps / trivial.Rps }));
            Emit("predict_1row_8", Wrk(work, $"{url}/v1/models/serve/predict", one, 8, seconds), 1);
            Emit("predict_1row_1", Wrk(work, $"{url}/v1/models/serve/predict", one, 1, seconds), 1);
            Emit("predict_1000rows_16", Wrk(work, $"{url}/v1/models/serve/predict", thousand, 16, seconds), 1000);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Dictionary<string, double> Row(double[] features) =>
        features.Select((x, f) => (Name: $"f{f}", Value: x)).ToDictionary(p => p.Name, p => p.Value);

    private static void Emit(string name, (double Rps, Dictionary<string, double> LatencyMs) result, int rowsPerRequest) =>
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = name,
            requests_per_s = result.Rps,
            rows_per_s = result.Rps * rowsPerRequest,
            latency_ms = result.LatencyMs,
        }));

    /// <summary>Runs wrk (2 threads: this machine has 2 cores, shared with the server) and parses requests/s and the latency percentiles.</summary>
    private static (double Rps, Dictionary<string, double> LatencyMs) Wrk(string work, string url, string? body, int connections, int seconds)
    {
        var script = Path.Combine(work, "post.lua");
        var args = new List<string> { "-t", connections == 1 ? "1" : "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency" };
        if (body is not null)
        {
            File.WriteAllText(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [[" + body + "]]\n");
            args.AddRange(["-s", script]);
        }

        args.Add(url);
        var start = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, UseShellExecute = false };
        args.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var latency = new Dictionary<string, double>();
        foreach (Match match in Percentile().Matches(output))
        {
            var value = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            latency["p" + match.Groups[1].Value] = match.Groups[3].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }

        if (output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("wrk saw error responses:\n" + output);
        }

        return (rps, latency);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline)]
    private static partial Regex Percentile();
}
