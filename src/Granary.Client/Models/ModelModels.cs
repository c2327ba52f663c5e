using System.Text.Json;

namespace Granary.Client.Models;

/// <summary>One line of <c>GET /v1/models</c>.</summary>
public sealed record ModelSummary(string Name, int LatestVersion, IReadOnlyDictionary<string, int> Aliases, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary><c>GET /v1/models</c>.</summary>
public sealed record ModelList(IReadOnlyList<ModelSummary> Models);

/// <summary><c>GET /v1/models/{name}</c>: the model, its versions, aliases and the history of alias moves.</summary>
public sealed record ModelInfo(
    string Name,
    int LatestVersion,
    IReadOnlyList<ModelVersionSummary> Versions,
    IReadOnlyList<ModelAlias> Aliases,
    IReadOnlyList<ModelAliasChangeInfo> AliasHistory,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A version as listed in <see cref="ModelInfo"/>.</summary>
public sealed record ModelVersionSummary(int Version, string Algorithm, string Dataset, JsonElement Metrics, DateTimeOffset CreatedAt);

/// <summary>
/// <c>GET /v1/models/{name}/versions/{v}</c>. <c>Dataset</c> is the lineage as <c>name@version</c>;
/// <c>Parameters</c>, <c>Features</c>, <c>Metrics</c>, <c>LossCurve</c> and <c>Artifact</c> (the portable
/// model document, see docs/models.md) are JSON as stored. <c>Evaluations</c> lists the ids of the evaluations
/// that judged this version, newest first.
/// </summary>
public sealed record ModelVersionInfo(
    string Name,
    int Version,
    string Algorithm,
    string Dataset,
    string? JobId,
    JsonElement Parameters,
    JsonElement Features,
    JsonElement Metrics,
    JsonElement LossCurve,
    string ArtifactPath,
    JsonElement? Artifact,
    IReadOnlyList<string> Aliases,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string>? Evaluations = null);

/// <summary>An alias and the version it points to.</summary>
public sealed record ModelAlias(string Alias, int Version, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One alias move (from null: created; to null: removed).</summary>
public sealed record ModelAliasChangeInfo(string Alias, int? FromVersion, int? ToVersion, DateTimeOffset ChangedAt, string ChangedBy);

/// <summary><c>PUT /v1/models/{name}/aliases/{alias}</c>.</summary>
public sealed record SetAliasRequest(int Version);
