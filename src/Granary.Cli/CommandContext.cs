using System.CommandLine;
using Granary.Client;

namespace Granary.Cli;

/// <summary>What a command needs from the global options: where the node is, how to authenticate, how to print.</summary>
internal sealed class CommandContext
{
    private CommandContext(CliConsole console, Uri url, string? apiKey, bool json)
    {
        Console = console;
        Url = url;
        ApiKey = apiKey;
        Json = json;
    }

    public CliConsole Console { get; }

    public Uri Url { get; }

    public string? ApiKey { get; }

    /// <summary>Print the response as JSON (for scripts) instead of tables.</summary>
    public bool Json { get; }

    /// <summary>Reads the global options; returns null (after printing why) when the URL is not usable.</summary>
    public static CommandContext? From(ParseResult parseResult, CliConsole console)
    {
        var rawUrl = parseResult.GetValue(GlobalOptions.Url) ?? GlobalOptions.DefaultUrl;
        if (!Uri.TryCreate(rawUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            console.WriteError($"'{rawUrl}' is not an http(s) URL; pass e.g. --url {GlobalOptions.DefaultUrl}");
            return null;
        }

        return new CommandContext(console, url, parseResult.GetValue(GlobalOptions.ApiKey), parseResult.GetValue(GlobalOptions.Json));
    }

    public GranaryClient CreateClient() => new(new GranaryClientOptions { BaseAddress = Url, ApiKey = ApiKey });

    public void WriteJson<T>(T value) =>
        Console.RawOutput.WriteLine(System.Text.Json.JsonSerializer.Serialize(value, GranaryJson.Indented));
}
