namespace Granary.Storage.Metadata;

/// <summary>An API key as stored: only its SHA-256 hash, never the key.</summary>
public sealed record ApiKeyRecord(string Name, string Sha256Hex, DateTimeOffset CreatedAt);
