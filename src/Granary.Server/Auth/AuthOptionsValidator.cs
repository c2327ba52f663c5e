using Granary.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Granary.Server.Auth;

/// <summary>Rejects configured key hashes that are not SHA-256 hex digests (a pasted raw key, say).</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var bad = options.ApiKeyHashes.Where(h => !ApiKeyHasher.IsHash(h)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Auth:ApiKeyHashes must hold SHA-256 hex digests (64 hex characters), not keys; 'granary keys hash KEY' prints one. {bad.Count} entr{(bad.Count == 1 ? "y is" : "ies are")} invalid.");
    }
}
