using System.CommandLine;
using System.CommandLine.Parsing;

namespace Granary.Cli;

/// <summary>Parses and runs a command line, mapping parse errors to <see cref="ExitCodes.Usage"/>.</summary>
internal static class CliInvoker
{
    /// <summary>The console of the invocation in progress; command actions read it through <see cref="CommandRunner"/>.</summary>
    private static readonly AsyncLocal<CliConsole?> CurrentConsole = new();

    public static CliConsole Console => CurrentConsole.Value ?? CliConsole.CreateSystem();

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine would exit 1 here, which scripts could not tell apart from a rejected request.
            foreach (var error in parseResult.Errors)
            {
                console.WriteError(error.Message);
            }

            console.WriteHint($"Run '{string.Join(' ', PathOf(parseResult))} --help' for usage.");
            return ExitCodes.Usage;
        }

        CurrentConsole.Value = console;
        try
        {
            // No termination timeout: `serve` stops gracefully on SIGTERM/Ctrl+C through the host, which may take longer than System.CommandLine's default 2 s.
            var configuration = new InvocationConfiguration { Output = console.RawOutput, ProcessTerminationTimeout = null };
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CurrentConsole.Value = null;
        }
    }

    private static IEnumerable<string> PathOf(ParseResult parseResult)
    {
        var names = new Stack<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Push(result.Command is RootCommand ? "granary" : result.Command.Name);
        }

        return names;
    }
}
