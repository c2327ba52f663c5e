using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Granary.EndToEnd;

/// <summary>
/// `[--rows N] [--features F] [--runs R] [--cache-mb M]`: generates the classification CSV once, then per run starts
/// a fresh node, uploads the file (first byte sent to version visible), profiles it (chunks cached by the
/// upload), and reads the node's peak memory. Prints one JSON line per measurement and one with medians.
/// </summary>
public static class EndToEndBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var rows = IntArg(args, "--rows", 1_000_000);
        var features = IntArg(args, "--features", 32);
        var runs = IntArg(args, "--runs", 3);
        // A small chunk cache shows the ingest path's own memory, which must not grow with the file.
        var cacheMb = IntArg(args, "--cache-mb", -1);
        string[] nodeArgs = cacheMb >= 0 ? [$"--Datasets:ChunkCacheBytes={cacheMb * 1048576L}"] : [];
        var work = Directory.CreateTempSubdirectory("granary-e2e-").FullName;
        try
        {
            var csv = Path.Combine(work, "data.csv");
            var generate = Stopwatch.StartNew();
            var bytes = ClassificationData.WriteCsv(csv, rows, features, seed: 42);
            Emit(new { bench = "generate", rows, features, bytes, seconds = generate.Elapsed.TotalSeconds });

            var ingest = new List<double>();
            var profile = new List<double>();
            var memory = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var data = Path.Combine(work, $"node-{run}");
                await using var node = await NodeProcess.StartAsync(data, nodeArgs);
                using var http = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromMinutes(10) };

                var timer = Stopwatch.StartNew();
                await using (var file = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
                {
                    using var content = new StreamContent(file, 1 << 20);
                    content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                    using var response = await http.PostAsync("/v1/datasets/bench", content);
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {body}");
                    }
                }

                var ingestSeconds = timer.Elapsed.TotalSeconds;
                var ingestPeak = node.PeakResidentBytes() / 1e6;
                ingest.Add(ingestSeconds);
                Emit(new { bench = "ingest", run, rows, bytes, seconds = ingestSeconds, mb_per_s = bytes / 1e6 / ingestSeconds });

                timer.Restart();
                using (var response = await http.GetAsync("/v1/datasets/bench/profile"))
                {
                    response.EnsureSuccessStatusCode();
                    using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var serverSeconds = document.RootElement.GetProperty("seconds").GetDouble();
                    var profileSeconds = timer.Elapsed.TotalSeconds;
                    profile.Add(profileSeconds);
                    Emit(new { bench = "profile", run, rows, columns = features + 1, seconds = profileSeconds, server_seconds = serverSeconds });
                }

                var peak = node.PeakResidentBytes() / 1e6;
                memory.Add(ingestPeak);
                Emit(new { bench = "server_memory", run, peak_rss_mb_after_ingest = ingestPeak, peak_rss_mb = peak, file_mb = bytes / 1e6, cache_mb = cacheMb });
            }

            Emit(new
            {
                bench = "summary",
                rows,
                bytes,
                runs,
                ingest_seconds_median = Median(ingest),
                ingest_mb_per_s_median = bytes / 1e6 / Median(ingest),
                profile_seconds_median = Median(profile),
                peak_rss_mb_after_ingest_median = Median(memory),
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Emit(object value) => Console.WriteLine(JsonSerializer.Serialize(value));
}
