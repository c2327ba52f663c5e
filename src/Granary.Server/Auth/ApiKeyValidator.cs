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
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    private readonly byte[][] _configured = options.Value.ApiKeyHashes.Select(h => Encoding.ASCII.GetBytes(h.ToLowerInvariant())).ToArray();
    private readonly ConcurrentDictionary<string, (bool Valid, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
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

    public async ValueTask<bool> IsValidAsync(string key, CancellationToken cancellationToken)
    {
        var hash = ApiKeyHasher.Hash(key);
        var hashBytes = Encoding.ASCII.GetBytes(hash);
        foreach (var configured in _configured)
        {
            if (CryptographicOperations.FixedTimeEquals(configured, hashBytes))
            {
                return true;
            }
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && now < cached.Until)
        {
            return cached.Valid;
        }

        var valid = await store.FindApiKeyAsync(hash, cancellationToken) is not null;
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[hash] = (valid, now + CacheLifetime);
        return valid;
    }
}
