using System.Data.Common;
using Granary.Storage.Models;

namespace Granary.Storage.Metadata;

/// <summary>
/// The model registry over the same database as datasets. Every write runs in one write transaction, so a
/// version number, an alias move and its history row are never seen apart.
/// </summary>
public abstract partial class SqlMetadataStore : IModelStore
{
    private const string ModelVersionColumns =
        "name, version, algorithm, parameters_json, features_json, metrics_json, loss_curve_json, dataset_name, dataset_version, job_id, artifact_path, created_at";

    public async Task<ModelVersionRecord> RegisterVersionAsync(string name, NewModelVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var now = ToMicros(DateTimeOffset.UtcNow);
        var model = await ReadModelAsync(connection, transaction, name, cancellationToken);
        var number = (model?.LatestVersion ?? 0) + 1;
        if (model is null)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO models (name, latest_version, created_at, updated_at) VALUES (@name, @version, @now, @now)",
                cancellationToken, ("name", name), ("version", number), ("now", now));
        }
        else
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE models SET latest_version = @version, updated_at = @now WHERE name = @name",
                cancellationToken, ("name", name), ("version", number), ("now", now));
        }

        await ExecuteAsync(connection, transaction,
            $"INSERT INTO model_versions ({ModelVersionColumns}) " +
            "VALUES (@name, @version, @algorithm, @parameters, @features, @metrics, @loss, @dataset, @datasetVersion, @job, @artifact, @now)",
            cancellationToken,
            ("name", name), ("version", number), ("algorithm", version.Algorithm), ("parameters", version.ParametersJson),
            ("features", version.FeaturesJson), ("metrics", version.MetricsJson), ("loss", version.LossCurveJson),
            ("dataset", version.DatasetName), ("datasetVersion", version.DatasetVersion), ("job", (object?)version.JobId ?? DBNull.Value),
            ("artifact", version.ArtifactPath), ("now", now));
        await transaction.CommitAsync(cancellationToken);
        return new ModelVersionRecord(name, number, version.Algorithm, version.ParametersJson, version.FeaturesJson, version.MetricsJson,
            version.LossCurveJson, version.DatasetName, version.DatasetVersion, version.JobId, version.ArtifactPath, FromMicros(now));
    }

    public async Task<ModelRecord?> GetModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadModelAsync(connection, null, name, cancellationToken);
    }

    public async Task<IReadOnlyList<ModelRecord>> ListModelsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT name, latest_version, created_at, updated_at FROM models ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ModelRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadModel(reader));
        }

        return list;
    }

    public async Task<IReadOnlyList<ModelVersionRecord>> ListModelVersionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT {ModelVersionColumns} FROM model_versions WHERE name = @name ORDER BY version", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ModelVersionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadModelVersion(reader));
        }

        return list;
    }

    public async Task<ModelVersionRecord?> GetModelVersionAsync(string name, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadModelVersionAsync(connection, null, name, version, cancellationToken);
    }

    public async Task<IReadOnlyList<ModelAliasRecord>> ListAliasesAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT name, alias, version, updated_at, updated_by FROM model_aliases WHERE name = @name ORDER BY alias", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ModelAliasRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadAlias(reader));
        }

        return list;
    }

    public async Task<ModelAliasRecord?> GetAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAliasAsync(connection, null, name, alias, cancellationToken);
    }

    public async Task<ModelAliasRecord> SetAliasAsync(string name, string alias, int version, string changedBy, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        if (await ReadModelAsync(connection, transaction, name, cancellationToken) is null)
        {
            throw new MetadataConflictException("model_not_found", $"Model '{name}' does not exist.");
        }

        if (await ReadModelVersionAsync(connection, transaction, name, version, cancellationToken) is null)
        {
            throw new MetadataConflictException("version_not_found", $"Model '{name}' has no version {version}.");
        }

        var current = await ReadAliasAsync(connection, transaction, name, alias, cancellationToken);
        if (current?.Version == version)
        {
            // Setting an alias to where it already points is not a move: nothing to record.
            return current;
        }

        var now = ToMicros(DateTimeOffset.UtcNow);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO model_aliases (name, alias, version, updated_at, updated_by) VALUES (@name, @alias, @version, @now, @by) " +
            "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            cancellationToken, ("name", name), ("alias", alias), ("version", version), ("now", now), ("by", changedBy));
        await AppendAliasHistoryAsync(connection, transaction, name, alias, current?.Version, version, now, changedBy, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ModelAliasRecord(name, alias, version, FromMicros(now), changedBy);
    }

    public async Task<bool> DeleteAliasAsync(string name, string alias, string changedBy, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var current = await ReadAliasAsync(connection, transaction, name, alias, cancellationToken);
        if (current is null)
        {
            return false;
        }

        var now = ToMicros(DateTimeOffset.UtcNow);
        await ExecuteAsync(connection, transaction, "DELETE FROM model_aliases WHERE name = @name AND alias = @alias",
            cancellationToken, ("name", name), ("alias", alias));
        await AppendAliasHistoryAsync(connection, transaction, name, alias, current.Version, null, now, changedBy, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ModelAliasChange>> ListAliasHistoryAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT alias, from_version, to_version, changed_at, changed_by FROM model_alias_history WHERE name = @name ORDER BY seq", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ModelAliasChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ModelAliasChange(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2),
                FromMicros(reader.GetInt64(3)),
                reader.GetString(4)));
        }

        return list;
    }

    public async Task<string?> DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var record = await ReadModelVersionAsync(connection, transaction, name, version, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var aliases = new List<string>();
        await using (var command = Command(connection, transaction,
            "SELECT alias FROM model_aliases WHERE name = @name AND version = @version ORDER BY alias", ("name", name), ("version", version)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                aliases.Add(reader.GetString(0));
            }
        }

        if (aliases.Count > 0)
        {
            throw new MetadataConflictException("version_has_alias",
                $"Version {version} of model '{name}' is the target of {string.Join(", ", aliases)}; move or remove those aliases first.");
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM model_versions WHERE name = @name AND version = @version",
            cancellationToken, ("name", name), ("version", version));
        var highest = await ScalarLongAsync(connection, transaction,
            "SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE name = @name", cancellationToken, ("name", name));
        if (highest == 0)
        {
            // The last version is gone, so the model is gone: its alias history describes versions that no longer
            // exist and would otherwise resurface under a new model of the same name.
            await ExecuteAsync(connection, transaction, "DELETE FROM model_alias_history WHERE name = @name", cancellationToken, ("name", name));
            await ExecuteAsync(connection, transaction, "DELETE FROM models WHERE name = @name", cancellationToken, ("name", name));
        }
        else
        {
            await ExecuteAsync(connection, transaction, "UPDATE models SET latest_version = @version, updated_at = @now WHERE name = @name",
                cancellationToken, ("name", name), ("version", highest), ("now", ToMicros(DateTimeOffset.UtcNow)));
        }

        await transaction.CommitAsync(cancellationToken);
        return record.ArtifactPath;
    }

    private static async Task AppendAliasHistoryAsync(
        DbConnection connection, DbTransaction transaction, string name, string alias, int? from, int? to, long now, string changedBy, CancellationToken cancellationToken)
    {
        // The write transaction serialises writers, so MAX(seq) + 1 cannot be taken twice.
        var seq = await ScalarLongAsync(connection, transaction,
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM model_alias_history WHERE name = @name", cancellationToken, ("name", name));
        await ExecuteAsync(connection, transaction,
            "INSERT INTO model_alias_history (name, seq, alias, from_version, to_version, changed_at, changed_by) " +
            "VALUES (@name, @seq, @alias, @from, @to, @now, @by)",
            cancellationToken, ("name", name), ("seq", seq), ("alias", alias), ("from", (object?)from ?? DBNull.Value),
            ("to", (object?)to ?? DBNull.Value), ("now", now), ("by", changedBy));
    }

    private static async Task<ModelRecord?> ReadModelAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT name, latest_version, created_at, updated_at FROM models WHERE name = @name", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadModel(reader) : null;
    }

    private static async Task<ModelVersionRecord?> ReadModelVersionAsync(
        DbConnection connection, DbTransaction? transaction, string name, int? version, CancellationToken cancellationToken)
    {
        await using var command = version is null
            ? Command(connection, transaction,
                $"SELECT {ModelVersionColumns} FROM model_versions WHERE name = @name AND version = (SELECT latest_version FROM models WHERE name = @name)",
                ("name", name))
            : Command(connection, transaction,
                $"SELECT {ModelVersionColumns} FROM model_versions WHERE name = @name AND version = @version", ("name", name), ("version", version.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadModelVersion(reader) : null;
    }

    private static async Task<ModelAliasRecord?> ReadAliasAsync(
        DbConnection connection, DbTransaction? transaction, string name, string alias, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT name, alias, version, updated_at, updated_by FROM model_aliases WHERE name = @name AND alias = @alias", ("name", name), ("alias", alias));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAlias(reader) : null;
    }

    private static ModelRecord ReadModel(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), FromMicros(reader.GetInt64(2)), FromMicros(reader.GetInt64(3)));

    private static ModelAliasRecord ReadAlias(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), FromMicros(reader.GetInt64(3)), reader.GetString(4));

    private static ModelVersionRecord ReadModelVersion(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt32(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7),
        reader.GetInt32(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.GetString(10),
        FromMicros(reader.GetInt64(11)));
}
