using System.CommandLine;
using Granary.Client;

namespace Granary.Cli;

/// <summary>What a command needs from the global options: where the node is, how to authenticate, how to print.</summary>
internal sealed class CommandContext
{
    private CommandContext(CliConsole console, Uri url, IReadOnlyList<Uri> fallbacks, string? apiKey, bool json)
    {
        Console = console;
        Url = url;
        Fallbacks = fallbacks;
        ApiKey = apiKey;
        Json = json;
    }

    public CliConsole Console { get; }

    public Uri Url { get; }

    /// <summary>Further nodes given after the first in <c>--url</c> (comma-separated), tried when one cannot be reached.</summary>
    public IReadOnlyList<Uri> Fallbacks { get; }

    public string? ApiKey { get; }

    /// <summary>Print the response as JSON (for scripts) instead of tables.</summary>
    public bool Json { get; }

    /// <summary>Reads the global options; returns null (after printing why) when the URL is not usable.</summary>
    public static CommandContext? From(ParseResult parseResult, CliConsole console)
    {
        var urls = new List<Uri>();
        foreach (var rawUrl in (parseResult.GetValue(GlobalOptions.Url) ?? GlobalOptions.DefaultUrl).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                console.WriteError($"'{rawUrl}' is not an http(s) URL; pass e.g. --url {GlobalOptions.DefaultUrl}");
                return null;
            }

            urls.Add(url);
        }

        if (urls.Count == 0)
        {
            console.WriteError($"--url is empty; pass e.g. --url {GlobalOptions.DefaultUrl}");
            return null;
        }

        return new CommandContext(console, urls[0], urls[1..], parseResult.GetValue(GlobalOptions.ApiKey), parseResult.GetValue(GlobalOptions.Json));
    }

    public GranaryClient CreateClient() => new(new GranaryClientOptions { BaseAddress = Url, FallbackAddresses = Fallbacks, ApiKey = ApiKey });

    public void WriteJson<T>(T value) =>
        Console.RawOutput.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, GranaryJson.Indented));
}
