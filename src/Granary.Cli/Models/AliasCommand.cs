using System.CommandLine;
using Spectre.Console;

namespace Granary.Cli.Models;

/// <summary><c>models alias NAME ALIAS VERSION</c>: creates or moves an alias.</summary>
internal static class AliasCommand
{
    public static Command Create()
    {
        var name = ModelSymbols.Name();
        var alias = ModelSymbols.Alias();
        var version = ModelSymbols.VersionArgument("point the alias at");
        var command = new Command("alias", "Point an alias (e.g. production) at a version; the move is recorded.") { name, alias, version };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var modelName = parseResult.GetRequiredValue(name);
            var record = await client.SetAliasAsync(modelName, parseResult.GetRequiredValue(alias), parseResult.GetValue(version), ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(record);
            }
            else
            {
                context.Console.Output.MarkupLine(
                    $"[bold]{Markup.Escape(modelName)}@{Markup.Escape(record.Alias)}[/] now points to version {record.Version}.");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
