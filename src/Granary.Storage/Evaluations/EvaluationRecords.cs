namespace Granary.Storage.Evaluations;

/// <summary>One model version's result inside an evaluation; <c>ReportJson</c> is the metrics document.</summary>
public sealed record EvaluatedModel(string Model, int Version, string ReportJson);

/// <summary>A stored evaluation: one dataset version, one or more model versions side by side.</summary>
public sealed record EvaluationRecord(string Id, string? JobId, string Dataset, IReadOnlyList<EvaluatedModel> Models, DateTimeOffset CreatedAt);
