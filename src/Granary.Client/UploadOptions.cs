namespace Granary.Client;

/// <summary>Ingest settings for an upload or append, sent as query parameters.</summary>
public sealed class UploadOptions
{
    /// <summary>Column name to type (numeric, boolean, string or timestamp), overriding inference.</summary>
    public IReadOnlyDictionary<string, string>? Types { get; init; }

    /// <summary>The CSV delimiter; the node detects one of <c>,</c> <c>;</c> or tab when unset.</summary>
    public string? Delimiter { get; init; }
}
