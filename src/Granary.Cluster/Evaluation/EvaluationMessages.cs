namespace Granary.Cluster.Evaluation;

/// <summary>Score one chunk with several model versions (their artifact paths) against the label column.</summary>
[GenerateSerializer, Immutable]
public sealed record EvaluationRequest(
    [property: Id(0)] string[] ArtifactPaths,
    [property: Id(1)] string LabelColumn,
    [property: Id(2)] double LabelStd);

/// <summary>
/// One model's mergeable partial over a chunk: <c>Kind</c> is regression (<c>Primary</c> = residuals), binary
/// (<c>Primary</c> = scores, <c>Secondary</c> = calibration) or multiclass (<c>Primary</c> = confusion).
/// <c>Skipped</c> counts rows whose label was missing or not one of the model's classes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModelPartial(
    [property: Id(0)] string Kind,
    [property: Id(1)] byte[] Primary,
    [property: Id(2)] byte[]? Secondary,
    [property: Id(3)] long Skipped);
