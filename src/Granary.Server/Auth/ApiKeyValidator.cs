using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Granary.Server.Hosting;
using Granary.Storage.Metadata;
using Microsoft.Extensions.Options;

namespace Granary.Server.Auth;

/// <summary>
/// Checks presented keys against the configured hashes and the metadata store. Store answers are
/// cached briefly so a request costs one hash, not one query; a deleted key stops working within
/// <see cref="CacheLifetime"/>.
/// </summary>
public sealed class ApiKeyValidator(IMetadataStore store, IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>The principal name of a key configured in Auth:ApiKeyHashes (those have no name of their own).</summary>
    public const string ConfiguredKeyName = "config-key";

    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private readonly byte[][] _configured = options.Value.ApiKeyHashes.Select(h => Encoding.ASCII.GetBytes(h.ToLowerInvariant())).ToArray();
    private readonly ConcurrentDictionary<string, (string? Name, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private (bool Any, DateTimeOffset Until) _anyStored;

    /// <summary>Whether any key exists, so authentication is on.</summary>
    public async ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken)
    {
        if (_configured.Length > 0)
        {
            return true;
        }

        var now = time.GetUtcNow();
        if (now < _anyStored.Until)
        {
            return _anyStored.Any;
        }

        var any = (await store.ListApiKeysAsync(cancellationToken)).Count > 0;
        _anyStored = (any, now + CacheLifetime);
        return any;
    }

    public async ValueTask<bool> IsValidAsync(string key, CancellationToken cancellationToken) =>
        await FindNameAsync(key, cancellationToken) is not null;

    /// <summary>
    /// The name of the key (who made a change), or null when it is not valid. Configured hashes carry no name,
    /// so they answer <see cref="ConfiguredKeyName"/>.
    /// </summary>
    public async ValueTask<string?> FindNameAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeyHasher.Hash(key);
        var hashBytes = Encoding.ASCII.GetBytes(hash);
        foreach (var configured in _configured)
        {
            if (CryptographicOperations.FixedTimeEquals(configured, hashBytes))
            {
                return ConfiguredKeyName;
            }
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && now < cached.Until)
        {
            return cached.Name;
        }

        var name = (await store.FindApiKeyAsync(hash, cancellationToken))?.Name;
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[hash] = (name, now + CacheLifetime);
        return name;
    }
}
