using System.Text.Json;
using Granary.Client.Models;
using Granary.Storage.Models;

namespace Granary.Server.Models;

/// <summary>Stored registry records to the HTTP contract's shapes.</summary>
public static class ModelMapper
{
    public static ModelSummary ToSummary(ModelRecord model, IReadOnlyList<ModelAliasRecord> aliases) => new(
        model.Name,
        model.LatestVersion,
        aliases.ToDictionary(a => a.Alias, a => a.Version, StringComparer.Ordinal),
        model.CreatedAt,
        model.UpdatedAt);

    public static ModelInfo ToInfo(
        ModelRecord model,
        IReadOnlyList<ModelVersionRecord> versions,
        IReadOnlyList<ModelAliasRecord> aliases,
        IReadOnlyList<ModelAliasChange> history) => new(
        model.Name,
        model.LatestVersion,
        versions.Select(v => new ModelVersionSummary(v.Version, v.Algorithm, Lineage(v), Parse(v.MetricsJson), v.CreatedAt)).ToList(),
        aliases.Select(ToAlias).ToList(),
        history.Select(h => new ModelAliasChangeInfo(h.Alias, h.FromVersion, h.ToVersion, h.ChangedAt, h.ChangedBy)).ToList(),
        model.CreatedAt,
        model.UpdatedAt);

    public static ModelVersionInfo ToVersionInfo(ModelVersionRecord version, JsonElement? artifact, IReadOnlyList<ModelAliasRecord> aliases, IReadOnlyList<string> evaluations) => new(
        version.Name,
        version.Version,
        version.Algorithm,
        Lineage(version),
        version.JobId,
        Parse(version.ParametersJson),
        Parse(version.FeaturesJson),
        Parse(version.MetricsJson),
        Parse(version.LossCurveJson),
        version.ArtifactPath,
        artifact,
        aliases.Where(a => a.Version == version.Version).Select(a => a.Alias).ToList(),
        version.CreatedAt,
        evaluations);

    public static ModelAlias ToAlias(ModelAliasRecord alias) => new(alias.Alias, alias.Version, alias.UpdatedAt, alias.UpdatedBy);

    /// <summary>The dataset a version was trained on, as <c>name@version</c>.</summary>
    public static string Lineage(ModelVersionRecord version) => $"{version.DatasetName}@{version.DatasetVersion}";

    /// <summary>
    /// The stored JSON as an element. Fields are written by the trainer, but a malformed one must not make the
    /// whole version unreadable: it is returned as a JSON string instead.
    /// </summary>
    public static JsonElement Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
