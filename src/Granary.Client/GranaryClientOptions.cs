namespace Granary.Client;

/// <summary>Where a <see cref="GranaryClient"/> connects and how it authenticates.</summary>
public sealed class GranaryClientOptions
{
    /// <summary>The default address of a local node (<c>granary serve</c> listens here unless told otherwise).</summary>
    public static readonly Uri DefaultBaseAddress = new("http://127.0.0.1:5080");

    /// <summary>The node's root address, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// Other nodes of the same cluster, tried in order when no connection can be made to the node in use (a
    /// request that never connected is safe to send again, uploads included). Only when the client owns its
    /// <see cref="HttpClient"/>. Default none.
    /// </summary>
    public IReadOnlyList<Uri> FallbackAddresses { get; set; } = [];

    /// <summary>Sent as <c>Authorization: Bearer</c> when set; nodes without API keys ignore it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Applies to the whole request when the client owns its <see cref="HttpClient"/>. Uploads of large files
    /// can take long, so the default is infinite and callers cancel through their token instead.
    /// </summary>
    public TimeSpan Timeout { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>
    /// How long to wait for a TCP connection when the client owns its <see cref="HttpClient"/>. Short, because a
    /// node that does not accept within seconds is down or firewalled, and the OS default is minutes.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
