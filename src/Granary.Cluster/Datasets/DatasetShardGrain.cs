using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Granary.Cluster.DataPlane;
using Granary.Cluster.Placement;
using Granary.Cluster.Training;
using Granary.Core.Features;
using Granary.Core.Sketches;
using Granary.Storage.Chunks;

namespace Granary.Cluster.Datasets;

/// <summary>
/// Computes over one chunk through the node's <see cref="ComputeGate"/>: on the thread pool, off the
/// Orleans scheduler, and never more chunks at once than the node has slots. Placed on the rendezvous owner
/// of its chunk path among the live silos, and moved there again when membership changes.
/// </summary>
[ShardPlacement]
internal sealed class DatasetShardGrain(ChunkCache cache, EncodedChunkCache encoded, Serving.PredictorCache predictors, Storage.Blobs.IBlobStore blobs, ComputeGate gate, ShardRegistry registry)
    : Grain, IDatasetShardGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        registry.Register(GrainContext);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        registry.Unregister(GrainContext);
        return Task.CompletedTask;
    }

    public Task<Evaluation.ScoredChunk> ScoreAsync(Evaluation.ScoreRequest request) => gate.RunAsync(async ct =>
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), ct);
        if (!blobs.Exists(request.OutputPath))
        {
            // Blob writes publish atomically, so a file that exists is complete: a retried job reuses it.
            var predictor = await predictors.GetAsync(request.ArtifactPath, ct);
            var scored = Evaluation.ScoringPass.Score(predictor, frame);
            await blobs.WriteAsync(request.OutputPath, (stream, token) => Storage.Parquet.ParquetChunkCodec.WriteAsync(scored, stream, token), ct);
        }

        await using var written = blobs.OpenRead(request.OutputPath);
        return new Evaluation.ScoredChunk(request.OutputPath, frame.RowCount, written.Length);
    }, CancellationToken.None);

    public Task<Evaluation.ModelPartial[]> EvaluateModelsAsync(Evaluation.EvaluationRequest request) => gate.RunAsync(async ct =>
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), ct);
        var partials = new Evaluation.ModelPartial[request.ArtifactPaths.Length];
        for (var i = 0; i < partials.Length; i++)
        {
            var predictor = await predictors.GetAsync(request.ArtifactPaths[i], ct);
            partials[i] = Evaluation.EvaluationPass.Run(predictor, frame, request.LabelColumn, request.LabelStd);
        }

        return partials;
    }, CancellationToken.None);

    public Task<byte[]> SketchAsync() => gate.RunAsync(async ct =>
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), ct);
        var sketch = new DatasetSketch(frame.Schema);
        sketch.Add(frame);
        return sketch.Serialize();
    }, CancellationToken.None);

    public Task<string> HeadAsync(int limit) => gate.RunAsync(async ct =>
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), ct);
        return FrameJson.RowsToJson(frame, 0, Math.Min(limit, frame.RowCount));
    }, CancellationToken.None);

    public Task<LinearPassResult> EvaluateLinearAsync(LinearPassRequest request)
    {
        var path = this.GetPrimaryKeyString();
        var key = $"{path}|{request.SpecKey}|{request.ValidationLower:R}|{request.ValidationFraction:R}|{request.Seed}|{request.AllValidation}";
        return gate.RunAsync(async ct =>
        {
            var chunk = await encoded.Cache.GetAsync(key, async () =>
            {
                var frame = await cache.GetAsync(path, ct);
                var spec = JsonSerializer.Deserialize<FeatureSpec>(request.SpecJson, Client.GranaryJson.Options)
                    ?? throw new ArgumentException("The training request has no feature spec.");
                // The salt makes each chunk's split independent yet identical on every node and every run.
                var salt = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(path)));
                ValidationSplit? split = request.AllValidation
                    ? new ValidationSplit(1.0, request.Seed, salt)
                    : request.ValidationFraction > 0 ? new ValidationSplit(request.ValidationFraction, request.Seed, salt, request.ValidationLower) : null;
                var (train, validation, dropped) = FeatureEncoder.Encode(frame, spec, split);
                return new EncodedChunk(train, validation, dropped);
            }, ct);
            return LinearPass.Run(chunk, request);
        }, CancellationToken.None);
    }
}
