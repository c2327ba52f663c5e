using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Client;
using Granary.Client.Models;
using Granary.Cluster.DataPlane;
using Granary.Cluster.Datasets;
using Granary.Cluster.Jobs;
using Granary.Cluster.Serving;
using Granary.Cluster.Training;
using Granary.Core.Data;
using Granary.Core.Inference;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Evaluation;

/// <summary>
/// Runs a "predict" job (batch scoring): each chunk is scored where it lives and written as a chunk of the
/// output dataset; one metadata commit then makes the new version visible. Output paths derive from the job
/// id, so a retry reuses what an earlier attempt finished.
/// </summary>
public sealed class PredictJobRunner(IMetadataStore datasets, ModelResolver resolver, PredictorCache predictors, IGrainFactory grains) : IJobRunner
{
    public string Type => "predict";

    public async Task<string> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var spec = JsonSerializer.Deserialize<PredictJobSpec>(context.Job.SpecJson, GranaryJson.Options)
            ?? throw new JobFailedException("invalid_spec", "The job has no scoring spec.");
        if (!DatasetRef.TryParse(spec.Dataset, out var dataset) || dataset.Version is null || !ModelRef.TryParse(spec.Model, out var reference))
        {
            throw new JobFailedException("invalid_spec", "The job's dataset or model is not pinned.");
        }

        var (model, error) = await resolver.ResolveAsync(reference, cancellationToken);
        if (model is null)
        {
            throw new JobFailedException(error ?? "model_not_found", $"Model '{spec.Model}' no longer resolves.");
        }

        var chunks = await datasets.ListChunksAsync(dataset.Name, dataset.Version.Value, cancellationToken);
        var source = await datasets.GetVersionAsync(dataset.Name, dataset.Version, cancellationToken)
            ?? throw new JobFailedException("dataset_not_found", $"Dataset '{spec.Dataset}' no longer exists.");
        var predictor = await predictors.GetAsync(model.ArtifactPath, cancellationToken);
        var prefix = $"datasets/{spec.Output}/{context.Job.Id}";
        var written = await ShardFanOut.RunAsync(
            chunks,
            (chunk, i) => grains.GetGrain<IDatasetShardGrain>(chunk.Path).ScoreAsync(new ScoreRequest(model.ArtifactPath, $"{prefix}/{i:D6}.parquet")),
            finished => context.Report(0.95 * finished / chunks.Count, $"scored {finished} of {chunks.Count} chunks"),
            cancellationToken);

        var version = await datasets.CommitUploadAsync(spec.Output, OutputSchema(source.Schema, predictor),
            written.Select(w => new NewChunk(w.Path, w.Rows, w.Bytes)).ToList(), CancellationToken.None);
        return new JsonObject
        {
            ["dataset"] = spec.Output,
            ["version"] = version.Version,
            ["rows"] = version.RowCount,
            ["model"] = $"{model.Name}@{model.Version}",
        }.ToJsonString();
    }

    public static DatasetSchema OutputSchema(DatasetSchema input, LinearPredictor predictor)
    {
        var columns = new List<ColumnSchema>(input.Columns);
        if (predictor.Classes is null)
        {
            columns.Add(new ColumnSchema(ScoringPass.PredictionColumn, ColumnType.Numeric));
        }
        else
        {
            columns.Add(new ColumnSchema(ScoringPass.PredictionColumn, ColumnType.String));
            columns.AddRange(predictor.Classes.Select(c => new ColumnSchema(ScoringPass.ProbabilityColumn(c), ColumnType.Numeric)));
        }

        return new DatasetSchema(columns);
    }
}
