using System.Collections.Concurrent;
using Granary.Storage.Models;

namespace Granary.Cluster.Serving;

/// <summary>
/// Resolves a model reference to a concrete version, remembering answers for a short time so a prediction
/// costs no metadata query. An alias move is seen by every node within <see cref="Ttl"/>; requests already
/// resolved finish on the version they got, so a swap never fails a request.
/// </summary>
public sealed class ModelResolver(IModelStore store, TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<ModelRef, (ModelVersionRecord? Version, string? Error, DateTimeOffset Until)> _cache = new();

    /// <summary>The version, or null and an error code (<c>model_not_found</c>, <c>version_not_found</c>, <c>alias_not_found</c>).</summary>
    public async ValueTask<(ModelVersionRecord? Version, string? Error)> ResolveAsync(ModelRef reference, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(reference, out var cached) && now < cached.Until)
        {
            return (cached.Version, cached.Error);
        }

        var resolved = await LookUpAsync(reference, cancellationToken);
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[reference] = (resolved.Version, resolved.Error, now + Ttl);
        return resolved;
    }

    private async Task<(ModelVersionRecord? Version, string? Error)> LookUpAsync(ModelRef reference, CancellationToken cancellationToken)
    {
        if (await store.GetModelAsync(reference.Name, cancellationToken) is null)
        {
            return (null, "model_not_found");
        }

        if (reference.Version is { } version)
        {
            var exact = await store.GetModelVersionAsync(reference.Name, version, cancellationToken);
            return exact is null ? (null, "version_not_found") : (exact, null);
        }

        var alias = await store.GetAliasAsync(reference.Name, reference.Alias ?? ModelRef.DefaultAlias, cancellationToken);
        if (alias is null)
        {
            return reference.Alias is null
                ? (await store.GetModelVersionAsync(reference.Name, null, cancellationToken), null)
                : (null, "alias_not_found");
        }

        var aliased = await store.GetModelVersionAsync(reference.Name, alias.Version, cancellationToken);
        return aliased is null ? (null, "version_not_found") : (aliased, null);
    }
}
