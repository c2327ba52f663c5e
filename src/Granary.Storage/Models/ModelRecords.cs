namespace Granary.Storage.Models;

/// <summary>A registered model: a name whose versions are immutable.</summary>
public sealed record ModelRecord(string Name, int LatestVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// One immutable model version. The JSON fields are opaque to the store: <c>ParametersJson</c> (training
/// parameters), <c>FeaturesJson</c> (the feature schema the model expects), <c>MetricsJson</c> (training and
/// validation metrics), <c>LossCurveJson</c> (per-iteration losses). <c>ArtifactPath</c> is the blob holding the
/// portable model file.
/// </summary>
public sealed record ModelVersionRecord(
    string Name,
    int Version,
    string Algorithm,
    string ParametersJson,
    string FeaturesJson,
    string MetricsJson,
    string LossCurveJson,
    string DatasetName,
    int DatasetVersion,
    string? JobId,
    string ArtifactPath,
    DateTimeOffset CreatedAt);

/// <summary>A version about to be registered (the store assigns the number).</summary>
public sealed record NewModelVersion(
    string Algorithm,
    string ParametersJson,
    string FeaturesJson,
    string MetricsJson,
    string LossCurveJson,
    string DatasetName,
    int DatasetVersion,
    string? JobId,
    string ArtifactPath);

/// <summary>Where an alias points now.</summary>
public sealed record ModelAliasRecord(string Name, string Alias, int Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One move of an alias: from null means created; to null means removed.</summary>
public sealed record ModelAliasChange(string Alias, int? FromVersion, int? ToVersion, DateTimeOffset ChangedAt, string ChangedBy);
