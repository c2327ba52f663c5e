using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Client;
using Granary.Client.Models;
using Granary.Cluster.Jobs;
using Granary.Core.Features;
using Granary.Core.Linear;
using Granary.Storage.Blobs;
using Granary.Storage.Models;

namespace Granary.Cluster.Training;

/// <summary>
/// Runs a "train" job: plans it, drives the coordinator grain one iteration at a time (checkpointing and
/// reporting after each), then writes the model artifact and registers the model version. Resuming uses
/// the plan and optimiser state saved in the checkpoint, so it continues where the last run stopped and
/// reaches the same model. Registration is idempotent per job, so a crash after it never makes two versions.
/// </summary>
public sealed class TrainJobRunner(TrainingPlanner planner, IGrainFactory grains, IBlobStore blobs, IModelStore models) : IJobRunner
{
    public string Type => "train";

    public async Task<string> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var spec = JsonSerializer.Deserialize<TrainJobSpec>(job.SpecJson, GranaryJson.Options)
            ?? throw new JobFailedException("invalid_spec", "The job has no training spec.");

        if (await FindRegisteredAsync(spec.Model, job.Id, cancellationToken) is { } registered)
        {
            return Result(spec, registered.Version, null);
        }

        var saved = await context.LoadCheckpointAsync(cancellationToken);
        TrainingPlan plan;
        byte[]? optimizer = null;
        string? crossValidation = null;
        if (saved is not null)
        {
            (plan, optimizer, crossValidation) = RunnerCheckpoint.Read(saved.State);
            context.Report(ProgressOf(saved.Step, plan), $"resuming at iteration {saved.Step}");
        }
        else
        {
            context.Report(0, "planning: profiling the dataset");
            (plan, _) = await planner.PlanAsync(spec, cancellationToken);
            if (spec.CrossValidation is { } folds)
            {
                crossValidation = (await CrossValidateAsync(context, plan, folds, cancellationToken)).ToJsonString();
            }
        }

        var features = JsonSerializer.Deserialize<FeatureSpec>(plan.SpecJson, GranaryJson.Options)!;
        var coordinator = grains.GetGrain<ITrainingCoordinatorGrain>(job.Id);
        var report = await coordinator.StartAsync(plan, optimizer);
        var clock = Stopwatch.StartNew();
        var startIteration = report.Iteration;
        while (!report.Done)
        {
            cancellationToken.ThrowIfCancellationRequested();
            report = await coordinator.IterateAsync().WaitAsync(cancellationToken);
            await context.SaveCheckpointAsync(report.Iteration, RunnerCheckpoint.Write(plan, report.Checkpoint, crossValidation), cancellationToken);
            var done = report.Iteration - startIteration;
            var eta = done > 0 && !report.Done ? clock.Elapsed / done * (plan.MaxIterations - report.Iteration) : TimeSpan.Zero;
            var step = string.Create(CultureInfo.InvariantCulture, $"iteration {report.Iteration}: loss {report.Objective:G6}");
            if (report.ValidationLoss is { } v)
            {
                step += string.Create(CultureInfo.InvariantCulture, $", validation {v:G6}");
            }

            if (!report.Done)
            {
                step += string.Create(CultureInfo.InvariantCulture, $", at most {eta.TotalSeconds:F0} s left");
            }

            context.Report(ProgressOf(report.Iteration, plan), step);
        }

        context.Report(0.99, "final metrics and registration");
        var outcome = await coordinator.FinishAsync().WaitAsync(cancellationToken);
        var coefficients = Doubles.FromBytes(outcome.Coefficients);
        var artifactPath = $"models/{spec.Model}/{job.Id}/model.json";
        var artifact = ModelArtifact.Create(spec.Algorithm, features, plan, coefficients);
        if (blobs.Exists(artifactPath))
        {
            await blobs.DeleteAsync(artifactPath, cancellationToken);
        }

        await blobs.WriteAsync(artifactPath, (stream, ct) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(artifact), ct).AsTask(), cancellationToken);
        var metrics = Metrics(plan, outcome);
        if (crossValidation is not null)
        {
            metrics["crossValidation"] = JsonNode.Parse(crossValidation);
        }
        var version = await models.RegisterVersionAsync(spec.Model, new NewModelVersion(
            spec.Algorithm,
            JsonSerializer.Serialize(spec, GranaryJson.Options),
            plan.SpecJson,
            metrics.ToJsonString(),
            LossCurve(outcome).ToJsonString(),
            DatasetRef.TryParse(spec.Dataset, out var dataset) ? dataset.Name : spec.Dataset,
            dataset.Version ?? 0,
            job.Id,
            artifactPath), CancellationToken.None);
        context.Report(1, string.Create(CultureInfo.InvariantCulture, $"registered {spec.Model} version {version.Version} after {outcome.Iterations} iterations ({outcome.StopReason}), objective {outcome.Objective:G6}"));
        return Result(spec, version.Version, metrics);
    }

    /// <summary>
    /// Trains one model per fold, each holding out the rows whose seeded draw falls in [k/K, (k+1)/K), and
    /// reports every validation metric's values, mean and (sample) standard deviation.
    /// </summary>
    private async Task<JsonObject> CrossValidateAsync(JobContext context, TrainingPlan plan, CrossValidationSpec folds, CancellationToken cancellationToken)
    {
        var objective = (LinearObjective)plan.Objective;
        var results = new List<JsonObject>();
        for (var fold = 0; fold < folds.Folds; fold++)
        {
            var foldPlan = plan with
            {
                ValidationChunks = [],
                ValidationLower = (double)fold / folds.Folds,
                ValidationFraction = (fold + 1.0) / folds.Folds,
                Seed = folds.Seed,
            };
            var coordinator = grains.GetGrain<ITrainingCoordinatorGrain>($"{context.Job.Id}/fold-{fold}");
            var report = await coordinator.StartAsync(foldPlan, null);
            while (!report.Done)
            {
                cancellationToken.ThrowIfCancellationRequested();
                report = await coordinator.IterateAsync().WaitAsync(cancellationToken);
                context.Report(0.5 * (fold + ((double)report.Iteration / plan.MaxIterations)) / folds.Folds,
                    $"cross-validation fold {fold + 1} of {folds.Folds}: iteration {report.Iteration}, loss {report.Objective:G6}");
            }

            var outcome = await coordinator.FinishAsync().WaitAsync(cancellationToken);
            results.Add(Split(objective, outcome.ValidationLoss ?? double.NaN, outcome.ValidationMetrics ?? PassMetrics.Empty));
        }

        var summary = new JsonObject();
        foreach (var name in results[0].Select(p => p.Key))
        {
            var values = results.Select(r => r[name] is { } node ? double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : double.NaN).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
            summary[name] = new JsonObject
            {
                ["mean"] = Finite(mean),
                ["std"] = Finite(std),
                ["values"] = new JsonArray(values.Select(v => (JsonNode?)Finite(v)).ToArray()),
            };
        }

        return new JsonObject { ["folds"] = folds.Folds, ["seed"] = folds.Seed, ["validation"] = summary };
    }

    private async Task<ModelVersionRecord?> FindRegisteredAsync(string model, string jobId, CancellationToken cancellationToken)
    {
        if (await models.GetModelAsync(model, cancellationToken) is null)
        {
            return null;
        }

        return (await models.ListModelVersionsAsync(model, cancellationToken)).FirstOrDefault(v => v.JobId == jobId);
    }

    private static double ProgressOf(int iteration, TrainingPlan plan) => Math.Min(0.98, (double)iteration / plan.MaxIterations);

    private static string Result(TrainJobSpec spec, int version, JsonObject? metrics) => new JsonObject
    {
        ["model"] = spec.Model,
        ["version"] = version,
        ["metrics"] = metrics,
    }.ToJsonString();

    private static JsonObject Metrics(TrainingPlan plan, TrainingOutcome outcome)
    {
        var objective = (LinearObjective)plan.Objective;
        var metrics = new JsonObject
        {
            ["iterations"] = outcome.Iterations,
            ["evaluations"] = outcome.Evaluations,
            // The first pass of a run also encodes the chunks; later ones show the steady speed.
            ["passSeconds"] = new JsonObject
            {
                ["first"] = outcome.PassSeconds.FirstOrDefault(),
                ["median"] = Median(outcome.PassSeconds.Skip(1).ToArray()),
            },
            ["stopReason"] = outcome.StopReason,
            ["objective"] = outcome.Objective,
            ["droppedRows"] = outcome.DroppedRows,
            ["train"] = Split(objective, outcome.TrainLoss, outcome.TrainMetrics),
        };
        if (outcome.ValidationMetrics is { } validation)
        {
            metrics["validation"] = Split(objective, outcome.ValidationLoss ?? double.NaN, validation);
        }

        return metrics;
    }

    private static JsonObject Split(LinearObjective objective, double loss, PassMetrics metrics)
    {
        var split = new JsonObject { ["rows"] = metrics.Rows, ["loss"] = Finite(loss) };
        if (objective == LinearObjective.Squared)
        {
            var w = metrics.Weight;
            var total = metrics.LabelSquaredSum - (metrics.LabelSum * metrics.LabelSum / w);
            split["rmse"] = Finite(Math.Sqrt(metrics.SquaredError / w));
            split["r2"] = Finite(1 - (metrics.SquaredError / total));
        }
        else
        {
            split["accuracy"] = Finite(metrics.CorrectWeight / metrics.Weight);
        }

        return split;
    }

    private static JsonObject LossCurve(TrainingOutcome outcome) => new()
    {
        ["objective"] = new JsonArray(outcome.LossCurve.Select(v => (JsonNode?)Finite(v)).ToArray()),
        ["validation"] = new JsonArray(outcome.ValidationCurve.Select(v => (JsonNode?)Finite(v)).ToArray()),
    };

    private static double? Median(double[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
