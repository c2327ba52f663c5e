namespace Granary.Storage.Models;

/// <summary>
/// The model registry's durable state: models, immutable versions, aliases and the history of every alias
/// move. Implemented by the SQL metadata stores (same database, same migrations); conflicts throw
/// <see cref="Metadata.MetadataConflictException"/> with a stable code.
/// </summary>
public interface IModelStore
{
    /// <summary>Registers the next version of <paramref name="name"/>, creating the model if needed.</summary>
    Task<ModelVersionRecord> RegisterVersionAsync(string name, NewModelVersion version, CancellationToken cancellationToken);

    Task<ModelRecord?> GetModelAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelRecord>> ListModelsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelVersionRecord>> ListModelVersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>A version, or the latest when <paramref name="version"/> is null.</summary>
    Task<ModelVersionRecord?> GetModelVersionAsync(string name, int? version, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelAliasRecord>> ListAliasesAsync(string name, CancellationToken cancellationToken);

    Task<ModelAliasRecord?> GetAliasAsync(string name, string alias, CancellationToken cancellationToken);

    /// <summary>Points an alias at a version and records the move (<c>model_not_found</c>, <c>version_not_found</c>).</summary>
    Task<ModelAliasRecord> SetAliasAsync(string name, string alias, int version, string changedBy, CancellationToken cancellationToken);

    /// <summary>Removes an alias and records it; false when it did not exist.</summary>
    Task<bool> DeleteAliasAsync(string name, string alias, string changedBy, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelAliasChange>> ListAliasHistoryAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a version; refused with <c>version_has_alias</c> while an alias points to it. Returns its
    /// artifact path (null when it did not exist).
    /// </summary>
    Task<string?> DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken);
}
