using System.Text.Json;

namespace Granary.Client.Models;

/// <summary>
/// <c>GET /v1/evaluations/{id}</c>: one dataset version, each model version's report side by side. A report
/// has <c>classification</c> (accuracy, per-class and averaged precision/recall/F1, ROC AUC, PR AUC,
/// log-loss, confusion matrix, ROC/PR curves, calibration bins) or <c>regression</c> (RMSE, MAE, R²,
/// residual histogram), computed exactly over all rows.
/// </summary>
public sealed record EvaluationInfo(string Id, string? JobId, string Dataset, IReadOnlyList<EvaluatedModelInfo> Models, DateTimeOffset CreatedAt);

/// <summary>One model version's report in an evaluation.</summary>
public sealed record EvaluatedModelInfo(string Model, int Version, JsonElement Report);
