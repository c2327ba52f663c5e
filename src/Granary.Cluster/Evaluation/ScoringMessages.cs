namespace Granary.Cluster.Evaluation;

/// <summary>Score one chunk with a model and write the scored rows to <c>OutputPath</c> as a Parquet chunk.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoreRequest(
    [property: Id(0)] string ArtifactPath,
    [property: Id(1)] string OutputPath);

/// <summary>The chunk written: its rows and bytes.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoredChunk(
    [property: Id(0)] string Path,
    [property: Id(1)] long Rows,
    [property: Id(2)] long Bytes);
