using System.Net;

namespace Granary.Server.Hosting;

/// <summary>Decides whether the addresses a node listens on are all loopback (safe without API keys).</summary>
public static class BindPolicy
{
    public static IReadOnlyList<string> ParseUrls(string? urls) =>
        string.IsNullOrWhiteSpace(urls)
            ? [NodeOptions.DefaultUrl]
            : urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    public static IReadOnlyList<string> NonLoopback(IEnumerable<string> urls) => urls.Where(url => !IsLoopback(url)).ToList();
}
