using System.Diagnostics;
using System.Text.Json;
using static Granary.EndToEnd.BenchHttp;

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

            var test = ClassificationData.Rows(IntArg(args, "--test-rows", 200_000), features, seed: 43).ToList();
            // The best any model can do on these rows: the generating weights themselves.
            var oracle = ClassificationData.Auc(test.Select(r => r.Features.Select((x, f) => x * ClassificationData.Weight(f)).Sum()).ToList(), test.Select(r => r.Label).ToList());
            Emit(new { bench = "test_set", rows = test.Count, oracle_auc = oracle });
            var ingest = new List<double>();
            var training = new List<double>();
            var warm = new List<double>();
            var evaluate = new List<double>();
            var profile = new List<double>();
            var memory = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var data = Path.Combine(work, $"node-{run}");
                await using var node = await NodeProcess.StartAsync(data, nodeArgs);
                using var http = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromMinutes(10) };

                var timer = Stopwatch.StartNew();
                await UploadAsync(http, "bench", csv);
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

                var (trainSeconds, evaluations, iterations, auc, firstPass, pass) = await TrainAsync(http, features, test);
                // The same job again: encoded chunks cached and code already compiled, as on a busy node.
                var (warmSeconds, _, _, _, _, _) = await TrainAsync(http, features, test);
                warm.Add(warmSeconds);
                training.Add(trainSeconds);
                Emit(new
                {
                    bench = "train_logistic", run, rows, features, seconds = trainSeconds, iterations, evaluations,
                    warm_seconds = warmSeconds, first_pass_seconds = firstPass, pass_seconds_median = pass, test_rows = test.Count, test_auc = auc,
                });

                var evaluation = await EvaluateAsync(http);
                evaluate.Add(evaluation);
                Emit(new { bench = "evaluate", run, rows, seconds = evaluation });

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
                train_seconds_median = Median(training),
                train_warm_seconds_median = Median(warm),
                evaluate_seconds_median = Median(evaluate),
                peak_rss_mb_after_ingest_median = Median(memory),
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Trains logistic regression as a job (the server's own start and finish times), then scores the held-out
    /// rows with the registered coefficients and returns their AUC.
    /// </summary>
    private static async Task<(double Seconds, int Evaluations, int Iterations, double Auc, double FirstPass, double Pass)> TrainAsync(HttpClient http, int features, List<(double[] Features, int Label)> test)
    {
        var job = await WaitSucceededAsync(http, await SubmitAsync(http, new { type = "train", dataset = "bench", label = "label", algorithm = "logistic", model = "bench", l2 = 1e-6, tolerance = 1e-6 }));
        var seconds = WallSeconds(job);
        var version = job.GetProperty("result").GetProperty("version").GetInt32();
        var model = await GetAsync(http, $"/v1/models/bench/versions/{version}");
        var metrics = model.GetProperty("metrics");
        var artifact = model.GetProperty("artifact");
        var coefficients = Enumerable.Range(0, features).Select(f => artifact.GetProperty("coefficients").GetProperty($"f{f}").GetDouble()).ToArray();
        var intercept = artifact.GetProperty("intercept").GetDouble();
        var scores = test.Select(row => intercept + row.Features.Select((x, f) => x * coefficients[f]).Sum()).ToList();
        var auc = ClassificationData.Auc(scores, test.Select(row => row.Label).ToList());
        var passes = metrics.GetProperty("passSeconds");
        return (seconds, metrics.GetProperty("evaluations").GetInt32(), metrics.GetProperty("iterations").GetInt32(), auc,
            passes.GetProperty("first").GetDouble(), passes.GetProperty("median").GetDouble());
    }

    /// <summary>An evaluation job of the latest model over the whole dataset (exact AUC, log-loss, confusion, curves): the server's own start and finish times.</summary>
    private static async Task<double> EvaluateAsync(HttpClient http)
    {
        var job = await WaitSucceededAsync(http, await SubmitAsync(http, new { type = "evaluate", dataset = "bench", models = new[] { "bench" } }));
        return WallSeconds(job);
    }
}
