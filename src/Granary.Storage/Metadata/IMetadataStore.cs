using Granary.Core.Data;

namespace Granary.Storage.Metadata;

/// <summary>
/// Granary's durable metadata: datasets, versions, chunks, cached profiles, API keys. Every commit is one
/// transaction, so a version becomes visible whole or not at all. Backends: SQLite (single node);
/// PostgreSQL (cluster). All pass <c>MetadataStoreContractTests</c>.
/// </summary>
public interface IMetadataStore
{
    /// <summary>Creates or upgrades the schema; safe to call concurrently from several nodes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<DatasetRecord?> GetDatasetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<DatasetListing>> ListDatasetsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<DatasetVersionRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>A version, or the latest when <paramref name="version"/> is null.</summary>
    Task<DatasetVersionRecord?> GetVersionAsync(string name, int? version, CancellationToken cancellationToken);

    Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Commits an upload: creates the dataset if needed and a new version holding exactly these chunks.</summary>
    Task<DatasetVersionRecord> CommitUploadAsync(string name, DatasetSchema schema, IReadOnlyList<NewChunk> chunks, CancellationToken cancellationToken);

    /// <summary>
    /// Commits an append on top of the latest version. Throws <see cref="MetadataConflictException"/>
    /// (<c>dataset_not_found</c>, <c>schema_changed</c>) when the dataset is gone or its schema differs.
    /// </summary>
    Task<DatasetVersionRecord> CommitAppendAsync(string name, DatasetSchema schema, IReadOnlyList<NewChunk> chunks, CancellationToken cancellationToken);

    /// <summary>Deletes a dataset's metadata; returns the chunk paths it referenced (null when it did not exist).</summary>
    Task<IReadOnlyList<string>?> DeleteDatasetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every blob path any version references (for the orphan sweep).</summary>
    Task<IReadOnlySet<string>> ListReferencedBlobsAsync(CancellationToken cancellationToken);

    Task<string?> GetProfileAsync(string name, int version, CancellationToken cancellationToken);

    Task PutProfileAsync(string name, int version, string profileJson, CancellationToken cancellationToken);

    Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyAsync(string sha256Hex, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellationToken);

    Task<bool> DeleteApiKeyAsync(string name, CancellationToken cancellationToken);
}
