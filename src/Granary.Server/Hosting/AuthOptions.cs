namespace Granary.Server.Hosting;

/// <summary>
/// API keys. Section <c>Auth</c>. Keys live hashed: either created with <c>granary keys create</c> (stored
/// in the metadata store) or listed here as SHA-256 hex digests. When any key exists, every route but
/// <c>/healthz</c> and <c>/readyz</c> needs <c>Authorization: Bearer &lt;key&gt;</c>. Binding a non-loopback
/// address without any key is refused at start-up.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>SHA-256 hex digests of accepted keys (<c>granary keys hash KEY</c> prints one). Default none.</summary>
    public List<string> ApiKeyHashes { get; set; } = [];
}
