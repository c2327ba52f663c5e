namespace Granary.Cluster.Datasets;

/// <summary>
/// One chunk of a dataset, keyed by its blob path. The activation's node loads the chunk into its chunk
/// cache and computes there; only small results (sketches, a few rows) travel back.
/// </summary>
public interface IDatasetShardGrain : IGrainWithStringKey
{
    /// <summary>The chunk's mergeable profile sketch, serialised. May queue behind other work on the node, hence the long timeout.</summary>
    [ResponseTimeout("00:10:00")]
    Task<byte[]> SketchAsync();

    /// <summary>The first <paramref name="limit"/> rows as a JSON array of objects.</summary>
    [ResponseTimeout("00:02:00")]
    Task<string> HeadAsync(int limit);

    /// <summary>Loss and gradient sums of a linear model over this chunk (encoded once per spec, then cached).</summary>
    [ResponseTimeout("00:10:00")]
    Task<Training.LinearPassResult> EvaluateLinearAsync(Training.LinearPassRequest request);

    /// <summary>Scores this chunk with each model and returns their exact mergeable metric partials.</summary>
    [ResponseTimeout("00:10:00")]
    Task<Evaluation.ModelPartial[]> EvaluateModelsAsync(Evaluation.EvaluationRequest request);

    /// <summary>Scores this chunk and writes the scored rows (durably) as a new chunk file; an existing file is reused.</summary>
    [ResponseTimeout("00:10:00")]
    Task<Evaluation.ScoredChunk> ScoreAsync(Evaluation.ScoreRequest request);
}
