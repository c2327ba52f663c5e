using System.Diagnostics;
using System.Text.Json;
using static Granary.EndToEnd.BenchHttp;

namespace Granary.EndToEnd;

/// <summary>
/// Cluster benchmarks on real node processes, one private PostgreSQL server per invocation and a fresh database,
/// blob folder and set of nodes per run. Each prints one JSON line per measurement and a summary of medians.
/// <list type="bullet">
/// <item><c>--cluster-scaleout [--rows 4000000] [--runs 3] [--chunk-rows rows/16]</c>: one full distributed training
/// pass (the model's <c>metrics.passSeconds.median</c>) on one node pinned to core 0, then on two nodes pinned to
/// cores 0 and 1; after each run, <see cref="CoreScalingProbe"/> measures what the two cores allow the same arithmetic
/// without nodes (plain arrays, and Granary's own kernel), so the ratios can be compared within one run.</item>
/// <item><c>--cluster-failover [--rows 400000] [--runs 3] [--chunk-rows 10000]</c>: kill -9 of the node running a
/// training job on a 3-node cluster; seconds until membership says dead, until a survivor claims the job and
/// until its step shows an iteration past the one at the kill. A job's step is published at most every
/// <c>Jobs:ProgressInterval</c> (250 ms by default), so that last figure includes up to that much reporting lag.</item>
/// <item><c>--cluster-rebalance [--runs 3] [--chunk-rows 5000]</c>: a third node joins a 2-node cluster holding a
/// 16-chunk dataset; seconds until it holds its shards, shards moved, chunk bytes it then loads.</item>
/// </list>
/// <c>--node-arg SETTING</c> (repeatable) passes a setting to every node.
/// </summary>
public static class ClusterBenchmark
{
    private const int Features = 32;

    public static async Task ScaleOutAsync(string[] args)
    {
        var rows = IntArg(args, "--rows", 4_000_000);
        var runs = IntArg(args, "--runs", 3);
        // At least 16 chunks (4M rows: 250,000 a chunk), so two nodes have shards to share.
        var chunkRows = IntArg(args, "--chunk-rows", (rows + 15) / 16);
        string[] settings = [$"--Datasets:ChunkRows={chunkRows}", .. NodeArgs(args)];
        var work = Directory.CreateTempSubdirectory("granary-bench-scaleout-").FullName;
        try
        {
            var csv = Path.Combine(work, "data.csv");
            var generate = Stopwatch.StartNew();
            var bytes = ClassificationData.WriteCsv(csv, rows, Features, seed: 42);
            Emit(new { bench = "generate", rows, features = Features, bytes, chunk_rows = chunkRows, seconds = generate.Elapsed.TotalSeconds });

            await using var postgres = await PrivatePostgres.StartAsync();
            var pass = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
            var wall = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
            var ratios = new List<double>();
            var machine = new List<double>();
            var kernel = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                foreach (var nodes in new[] { 1, 2 })
                {
                    var (passSeconds, wallSeconds) = await ScaleOutRunAsync(postgres, csv, run, rows, nodes, settings);
                    pass[nodes].Add(passSeconds);
                    wall[nodes].Add(wallSeconds);
                }

                ratios.Add(pass[1][run] / pass[2][run]);
                var (one, two) = await CoreScalingProbe.MeasureAsync();
                machine.Add(one / two);
                Emit(new { bench = "core_scaling_probe", run, kernel = "plain", one_process_16_chunks_seconds = one, two_processes_8_chunks_seconds = two, ratio = one / two });
                (one, two) = await CoreScalingProbe.MeasureAsync(granaryKernel: true);
                kernel.Add(one / two);
                Emit(new { bench = "core_scaling_probe", run, kernel = "granary", one_process_16_chunks_seconds = one, two_processes_8_chunks_seconds = two, ratio = one / two });
            }

            Emit(new
            {
                bench = "cluster_scaleout_summary",
                rows,
                chunk_rows = chunkRows,
                runs,
                pass_seconds_1node_median = Median(pass[1]),
                pass_seconds_2nodes_median = Median(pass[2]),
                job_seconds_1node_median = Median(wall[1]),
                job_seconds_2nodes_median = Median(wall[2]),
                // Target: at least 1.8.
                pass_ratio = Median(pass[1]) / Median(pass[2]),
                pass_ratio_per_run_median = Median(ratios),
                // The same arithmetic without Granary, 1 vs 2 pinned processes: what this machine's two cores allow.
                machine_ratio_median = Median(machine),
                // Granary's loss-and-gradient kernel alone, the same way: the scale-out a node could reach without overhead.
                kernel_ratio_median = Median(kernel),
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One configuration of one run: nodes pinned to cores 0..n-1, upload, a warm-up training, then the measured one.</summary>
    private static async Task<(double Pass, double Wall)> ScaleOutRunAsync(PrivatePostgres postgres, string csv, int run, int rows, int nodes, string[] settings)
    {
        await using var cluster = await ClusterProcesses.StartAsync(postgres, [.. Enumerable.Range(0, nodes).Select(i => (int?)i)], settings);
        using var http = cluster.Client(0);
        var upload = Stopwatch.StartNew();
        var chunks = await UploadAsync(http, "bench", csv);
        var uploadSeconds = upload.Elapsed.TotalSeconds;

        // Warm-up: chunks encoded and cached on their shards' nodes, code compiled.
        var warm = await TrainAsync(http, "warmup");
        var view = await ReadFreshAsync(http, DateTimeOffset.UtcNow);
        var shards = Enumerable.Range(0, nodes).Select(i => view[cluster[i].NodeId]?.Shards ?? 0).ToArray();
        var cpus = Enumerable.Range(0, nodes).Select(i => cluster[i].CpusAllowed()).ToArray();
        Emit(new { bench = "cluster_scaleout_shards", run, nodes, chunks, shards, cpus_allowed = cpus, upload_seconds = uploadSeconds, warmup_pass_seconds_median = warm.PassMedian });
        if (nodes > 1 && shards.Any(s => s == 0))
        {
            Console.Error.WriteLine($"warning: shards not spread over the nodes: [{string.Join(", ", shards)}]");
        }

        // A tight tolerance: a few dozen passes, so their median is steady.
        var measured = await TrainAsync(http, "measured", tolerance: 1e-12);
        Emit(new
        {
            bench = "cluster_scaleout",
            run,
            nodes,
            cores = Enumerable.Range(0, nodes).ToArray(),
            rows,
            chunks,
            shards,
            // A pass can end no sooner than the node with the most shards: the best ratio this split allows.
            split_bound = (double)shards.Sum() / Math.Max(1, shards.Max()),
            pass_seconds_median = measured.PassMedian,
            pass_seconds_first = measured.PassFirst,
            job_seconds = measured.Wall,
            iterations = measured.Iterations,
            evaluations = measured.Evaluations,
        });
        return (measured.PassMedian, measured.Wall);
    }

    public static async Task FailoverAsync(string[] args)
    {
        var rows = IntArg(args, "--rows", 400_000);
        var runs = IntArg(args, "--runs", 3);
        var chunkRows = IntArg(args, "--chunk-rows", 10_000);
        var features = IntArg(args, "--features", 8);
        string[] settings = [$"--Datasets:ChunkRows={chunkRows}", .. NodeArgs(args)];
        var work = Directory.CreateTempSubdirectory("granary-bench-failover-").FullName;
        try
        {
            // Raw features on scales from 0.01 to 100 and no standardisation: ill-conditioned, so training with
            // tolerance 1e-15 runs for many iterations.
            var csv = Path.Combine(work, "data.csv");
            var bytes = ClassificationData.WriteCsv(csv, rows, features, seed: 7, scale: f => Math.Pow(10, (f % 5) - 2));
            Emit(new { bench = "generate", rows, features, bytes, chunk_rows = chunkRows });

            await using var postgres = await PrivatePostgres.StartAsync();
            var dead = new List<double>();
            var claimed = new List<double>();
            var progressing = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                await using var cluster = await ClusterProcesses.StartAsync(postgres, [null, null, null], settings);
                using var first = cluster.Client(0);
                var chunks = await UploadAsync(first, "bench", csv);
                var spec = new
                {
                    type = "train", dataset = "bench", label = "label", algorithm = "logistic", model = "failover",
                    l2 = 1e-6, tolerance = 1e-15, maxIterations = IntArg(args, "--max-iterations", 2000), standardize = false,
                };
                var id = await SubmitAsync(first, spec);
                var submitted = Stopwatch.StartNew();
                var running = await WithTimeoutAsync(() => GetAsync(first, $"/v1/jobs/{id}"),
                    job => Iteration(job) >= 3 || job.GetProperty("state").GetString() is not ("queued" or "running"), TimeSpan.FromMinutes(5), "iteration 3");
                if (running.GetProperty("state").GetString() != "running")
                {
                    throw new InvalidOperationException($"The job ended before it could be interrupted (more --rows?): {running}");
                }

                var victim = cluster.IndexOf(running.GetProperty("node").GetString()!);
                var victimId = cluster[victim].NodeId;
                var survivor = cluster.Running.First(i => i != victim);
                var atKill = await GetAsync(first, $"/v1/jobs/{id}");
                var iterationAtKill = Iteration(atKill);
                var clock = Stopwatch.StartNew();
                await cluster.KillAsync(victim);

                using var http = cluster.Client(survivor);
                double? deadSeconds = null, claimedSeconds = null, progressSeconds = null;
                int resumedIteration = -1;
                string? newNode = null;
                while (deadSeconds is null || progressSeconds is null)
                {
                    if (clock.Elapsed > TimeSpan.FromMinutes(2))
                    {
                        throw new TimeoutException($"after 120 s: dead {deadSeconds}, progressing {progressSeconds}");
                    }

                    var job = await GetAsync(http, $"/v1/jobs/{id}");
                    var seconds = clock.Elapsed.TotalSeconds;
                    var state = job.GetProperty("state").GetString();
                    if (state is "failed" or "cancelled")
                    {
                        throw new InvalidOperationException($"The job did not survive the kill: {job}");
                    }

                    if (job.GetProperty("attempt").GetInt32() >= 2)
                    {
                        if (claimedSeconds is null && job.TryGetProperty("node", out var node) && node.GetString() is { } nodeId && nodeId != victimId)
                        {
                            claimedSeconds = seconds;
                            newNode = nodeId;
                        }

                        if (progressSeconds is null && (Iteration(job) > iterationAtKill || state == "succeeded"))
                        {
                            progressSeconds = seconds;
                            resumedIteration = Iteration(job);
                        }
                    }

                    if (deadSeconds is null && (await ReadAsync(http))[victimId]?.State == "dead")
                    {
                        deadSeconds = clock.Elapsed.TotalSeconds;
                    }

                    await Task.Delay(20);
                }

                dead.Add(deadSeconds.Value);
                progressing.Add(progressSeconds.Value);
                if (claimedSeconds is { } c)
                {
                    claimed.Add(c);
                }

                Emit(new
                {
                    bench = "cluster_failover",
                    run,
                    rows,
                    chunks,
                    killed_node = victim,
                    resumed_on = newNode is null ? (int?)null : cluster.IndexOf(newNode),
                    seconds_before_kill = submitted.Elapsed.TotalSeconds - clock.Elapsed.TotalSeconds,
                    iteration_at_kill = iterationAtKill,
                    first_iteration_seen_after = resumedIteration,
                    dead_seconds = deadSeconds,
                    claimed_seconds = claimedSeconds,
                    progress_seconds = progressSeconds,
                });
            }

            Emit(new
            {
                bench = "cluster_failover_summary",
                rows,
                runs,
                dead_seconds_median = Median(dead),
                claimed_seconds_median = Median(claimed),
                progress_seconds_median = Median(progressing),
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static async Task RebalanceAsync(string[] args)
    {
        var runs = IntArg(args, "--runs", 3);
        var chunkRows = IntArg(args, "--chunk-rows", 5_000);
        const int Chunks = 16;
        var rows = Chunks * chunkRows;
        // How long the shard counts must stay the same to count as settled (nodes publish every 2 s, the
        // rebalancer re-checks every 5 s).
        var stable = TimeSpan.FromSeconds(IntArg(args, "--stable-seconds", 8));
        string[] settings = [$"--Datasets:ChunkRows={chunkRows}", .. NodeArgs(args)];
        var work = Directory.CreateTempSubdirectory("granary-bench-rebalance-").FullName;
        try
        {
            var csv = Path.Combine(work, "data.csv");
            var bytes = ClassificationData.WriteCsv(csv, rows, Features, seed: 42);
            Emit(new { bench = "generate", rows, features = Features, bytes, chunk_rows = chunkRows });

            await using var postgres = await PrivatePostgres.StartAsync();
            var settle = new List<double>();
            var moved = new List<double>();
            var movedBytes = new List<double>();
            var reread = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                await using var cluster = await ClusterProcesses.StartAsync(postgres, [null, null], settings);
                using var http = cluster.Client(0);
                var chunks = await UploadAsync(http, "bench", csv);
                if (chunks != Chunks)
                {
                    throw new InvalidOperationException($"{chunks} chunks, expected {Chunks}");
                }

                // A training job touches every shard: all 16 active, their chunks loaded on their owners.
                await TrainAsync(http, "before");
                var before = await AllShardsAsync(http, Chunks, DateTimeOffset.UtcNow);
                string[] oldIds = [cluster[0].NodeId, cluster[1].NodeId];
                var oldShards = oldIds.Select(n => before[n]!.Shards).ToArray();
                var oldBytes = oldIds.Select(n => before[n]!.BlobBytesLoaded).ToArray();
                Emit(new { bench = "cluster_rebalance_before", run, shards = oldShards, blob_bytes_loaded = oldBytes });

                var clock = Stopwatch.StartNew();
                var added = await cluster.AddNodeAsync(null);
                var readySeconds = clock.Elapsed.TotalSeconds;
                await cluster.WaitForActiveAsync(3);
                var activeSeconds = clock.Elapsed.TotalSeconds;
                var newId = cluster[added].NodeId;
                string[] ids = [.. oldIds, newId];

                // Settled: the shard counts differ from before the join and have not changed for `stable`; the
                // time is when those counts were first seen (node figures lag by up to 2 s). A migrated shard
                // registers on the new node only when it activates there, at its next call, so the new node
                // may show none until the shards are touched below.
                int[] initial = [.. oldShards, 0];
                var last = initial;
                var since = 0.0;
                double? settled = null, newNodeSeen = null;
                while (true)
                {
                    var view = await ReadAsync(http);
                    var counts = ids.Select(n => view[n]?.Shards ?? 0).ToArray();
                    var now = clock.Elapsed.TotalSeconds;
                    if (counts[2] > 0)
                    {
                        newNodeSeen ??= now;
                    }

                    if (!counts.SequenceEqual(last))
                    {
                        last = counts;
                        since = now;
                    }
                    else if (!counts.SequenceEqual(initial) && now - since >= stable.TotalSeconds)
                    {
                        settled = since;
                        break;
                    }

                    if (now > 90)
                    {
                        Console.Error.WriteLine($"warning: no shard moved within 90 s of the join: [{string.Join(", ", counts)}]");
                        break;
                    }

                    await Task.Delay(250);
                }

                // Migrated shards load their chunks on their next call: touch them all again (one iteration).
                var touch = Stopwatch.StartNew();
                await TrainAsync(http, "after", maxIterations: 1);
                var touchSeconds = touch.Elapsed.TotalSeconds;
                var after = await AllShardsAsync(http, Chunks, DateTimeOffset.UtcNow);
                var newBytes = after[newId]!.BlobBytesLoaded;
                var oldReread = oldIds.Select((n, i) => after[n]!.BlobBytesLoaded - oldBytes[i]).ToArray();
                var shardsAfter = ids.Select(n => after[n]!.Shards).ToArray();
                var shardsMoved = oldShards.Select((n, i) => Math.Max(0, n - shardsAfter[i])).Sum();
                if (settled is { } seconds)
                {
                    settle.Add(seconds);
                }

                moved.Add(shardsMoved);
                movedBytes.Add(newBytes);
                reread.Add(oldReread.Sum());
                Emit(new
                {
                    bench = "cluster_rebalance",
                    run,
                    chunks,
                    shards_before = oldShards,
                    shards_after = shardsAfter,
                    shards_settled = last,
                    shards_new_node_after_touch = shardsAfter[2],
                    shards_moved = shardsMoved,
                    ready_seconds = readySeconds,
                    active_seconds = activeSeconds,
                    settled_seconds = settled,
                    new_node_shards_seen_seconds = newNodeSeen,
                    touch_seconds = touchSeconds,
                    bytes_moved = newBytes,
                    bytes_reread_by_old_nodes = oldReread,
                });
            }

            Emit(new
            {
                bench = "cluster_rebalance_summary",
                runs,
                chunks = Chunks,
                settled_seconds_median = Median(settle),
                shards_moved_median = Median(moved),
                bytes_moved_median = Median(movedBytes),
                bytes_reread_by_old_nodes_median = Median(reread),
            });
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Trained(double Wall, double PassMedian, double PassFirst, int Iterations, int Evaluations);

    /// <summary>
    /// Trains logistic regression on "bench" as EndToEndBenchmark does, to success; the job's wall time and the
    /// registered version's pass figures.
    /// Polls every 500 ms: on two pinned cores the benchmark's own requests would take time from the nodes it measures.
    /// </summary>
    private static async Task<Trained> TrainAsync(HttpClient http, string model, int maxIterations = 100, double tolerance = 1e-6)
    {
        var spec = new { type = "train", dataset = "bench", label = "label", algorithm = "logistic", model, l2 = 1e-6, tolerance, maxIterations };
        var job = await WaitSucceededAsync(http, await SubmitAsync(http, spec), TimeSpan.FromMilliseconds(500));
        var version = job.GetProperty("result").GetProperty("version").GetInt32();
        var metrics = (await GetAsync(http, $"/v1/models/{model}/versions/{version}")).GetProperty("metrics");
        var passes = metrics.GetProperty("passSeconds");
        return new Trained(WallSeconds(job), passes.GetProperty("median").GetDouble(), passes.GetProperty("first").GetDouble(),
            metrics.GetProperty("iterations").GetInt32(), metrics.GetProperty("evaluations").GetInt32());
    }

    /// <summary>The cluster view once every node has published after <paramref name="after"/> and the shards held add up to <paramref name="chunks"/>.</summary>
    private static async Task<ClusterView> AllShardsAsync(HttpClient http, int chunks, DateTimeOffset after)
    {
        await ReadFreshAsync(http, after);
        return await WithTimeoutAsync(() => ReadAsync(http), v => v.Nodes.Where(n => n.State == "active").Sum(n => n.Shards) == chunks,
            TimeSpan.FromSeconds(30), $"shards adding up to {chunks}");
    }

    private static Task<ClusterView> ReadAsync(HttpClient http) => ClusterView.ReadAsync(http);

    private static Task<ClusterView> ReadFreshAsync(HttpClient http, DateTimeOffset after) => ClusterView.ReadFreshAsync(http, after);
}
