using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Client;
using Granary.Client.Models;
using Granary.Cluster.DataPlane;
using Granary.Cluster.Datasets;
using Granary.Cluster.Jobs;
using Granary.Cluster.Serving;
using Granary.Cluster.Training;
using Granary.Core.Evaluation;
using Granary.Storage.Evaluations;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Evaluation;

/// <summary>
/// Runs an "evaluate" job: every chunk's shard grain scores its rows with each model and returns exact
/// mergeable partials; they are merged in chunk order into one report per model and stored, linked to the
/// model versions. Retried runs reuse the same evaluation id, so a crash never stores two.
/// </summary>
public sealed class EvaluateJobRunner(IMetadataStore datasets, IEvaluationStore evaluations, ModelResolver resolver, IGrainFactory grains) : IJobRunner
{
    public string Type => "evaluate";

    public async Task<string> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var spec = JsonSerializer.Deserialize<EvaluateJobSpec>(context.Job.SpecJson, GranaryJson.Options)
            ?? throw new JobFailedException("invalid_spec", "The job has no evaluation spec.");
        if (!DatasetRef.TryParse(spec.Dataset, out var dataset) || dataset.Version is null)
        {
            throw new JobFailedException("invalid_spec", $"The job's dataset '{spec.Dataset}' is not pinned to a version.");
        }

        var versions = new List<Storage.Models.ModelVersionRecord>();
        foreach (var text in spec.Models)
        {
            var (model, error) = ModelRef.TryParse(text, out var reference) ? await resolver.ResolveAsync(reference, cancellationToken) : (null, "invalid_name");
            versions.Add(model ?? throw new JobFailedException(error ?? "model_not_found", $"Model '{text}' no longer resolves."));
        }

        var label = JsonDocument.Parse(versions[0].FeaturesJson).RootElement is var features && features.TryGetProperty("labelColumn", out var l)
            ? l.GetString()! : features.GetProperty("LabelColumn").GetString()!;
        context.Report(0.02, "profiling the label");
        var profile = JsonSerializer.Deserialize<DatasetProfile>(
            await DatasetProfiles.GetJsonAsync(grains, dataset.Name, dataset.Version.Value, cancellationToken), GranaryJson.Options)!;
        var std = profile.Columns.FirstOrDefault(c => c.Name == label)?.Std ?? 1.0;

        var chunks = await datasets.ListChunksAsync(dataset.Name, dataset.Version.Value, cancellationToken);
        var request = new EvaluationRequest(versions.Select(v => v.ArtifactPath).ToArray(), label, std);
        var results = await ShardFanOut.RunAsync(
            chunks,
            (chunk, _) => grains.GetGrain<IDatasetShardGrain>(chunk.Path).EvaluateModelsAsync(request),
            finished => context.Report(0.05 + (0.9 * finished / chunks.Count), $"scored {finished} of {chunks.Count} chunks"),
            cancellationToken);

        var evaluated = new List<EvaluatedModel>();
        var summary = new JsonArray();
        for (var m = 0; m < versions.Count; m++)
        {
            var report = Merge(results.Select(r => r[m]).ToList(), versions[m]);
            var json = JsonSerializer.Serialize(report, GranaryJson.Options);
            evaluated.Add(new EvaluatedModel(versions[m].Name, versions[m].Version, json));
            summary.Add(new JsonObject
            {
                ["model"] = versions[m].Name,
                ["version"] = versions[m].Version,
                ["skippedRows"] = results.Sum(r => r[m].Skipped),
                ["report"] = JsonNode.Parse(json),
            });
        }

        var id = "eval-" + context.Job.Id["job-".Length..];
        await evaluations.SaveEvaluationAsync(new EvaluationRecord(id, context.Job.Id, spec.Dataset, evaluated, DateTimeOffset.UtcNow), CancellationToken.None);
        return new JsonObject { ["evaluation"] = id, ["models"] = summary }.ToJsonString();
    }

    private static EvaluationReport Merge(IReadOnlyList<ModelPartial> partials, Storage.Models.ModelVersionRecord version)
    {
        var classes = JsonDocument.Parse(version.FeaturesJson).RootElement.TryGetProperty("classes", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(e => e.GetString()!).ToList()
            : null;
        switch (partials[0].Kind)
        {
            case "regression":
                var residuals = RegressionResiduals.Deserialize(partials[0].Primary);
                foreach (var partial in partials.Skip(1))
                {
                    residuals.Add(RegressionResiduals.Deserialize(partial.Primary));
                }

                return EvaluationReport.For(RegressionReport.From(residuals));
            case "binary":
                var scores = BinaryScores.Merge(partials.Select(p => BinaryScores.Deserialize(p.Primary)).ToList());
                var calibration = CalibrationBins.Deserialize(partials[0].Secondary!);
                foreach (var partial in partials.Skip(1))
                {
                    calibration.Add(CalibrationBins.Deserialize(partial.Secondary!));
                }

                return EvaluationReport.For(ClassificationReport.FromBinary(scores, calibration, classes));
            default:
                var confusion = MulticlassConfusion.Deserialize(partials[0].Primary);
                foreach (var partial in partials.Skip(1))
                {
                    confusion.Add(MulticlassConfusion.Deserialize(partial.Primary));
                }

                return EvaluationReport.For(ClassificationReport.FromMulticlass(confusion, classes));
        }
    }
}
