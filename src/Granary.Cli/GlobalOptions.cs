using System.CommandLine;

namespace Granary.Cli;

/// <summary>Options valid on every command; recursive so they may follow the subcommand.</summary>
internal static class GlobalOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static Option<string> Url { get; } = new("--url")
    {
        Description = "The node's address (env GRANARY_URL); in a cluster, several comma-separated, tried in turn when one cannot be reached.",
        Recursive = true,
        HelpName = "url",
        DefaultValueFactory = _ => NonEmptyEnvironmentVariable("GRANARY_URL") ?? DefaultUrl,
    };

    public static Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "API key sent as a bearer token (env GRANARY_API_KEY).",
        Recursive = true,
        HelpName = "key",
        DefaultValueFactory = _ => NonEmptyEnvironmentVariable("GRANARY_API_KEY"),
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the raw JSON of the response instead of tables.",
        Recursive = true,
    };

    private static string? NonEmptyEnvironmentVariable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
