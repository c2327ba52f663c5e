using System.CommandLine;
using Spectre.Console;

namespace Granary.Cli.Models;

/// <summary><c>models unalias NAME ALIAS</c>: removes an alias (recorded in the history).</summary>
internal static class UnaliasCommand
{
    public static Command Create()
    {
        var name = ModelSymbols.Name();
        var alias = ModelSymbols.Alias();
        var command = new Command("unalias", "Remove an alias; the removal is recorded.") { name, alias };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var modelName = parseResult.GetRequiredValue(name);
            var aliasName = parseResult.GetRequiredValue(alias);
            await client.DeleteAliasAsync(modelName, aliasName, ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { model = modelName, removedAlias = aliasName });
            }
            else
            {
                context.Console.Output.MarkupLine($"Removed alias [bold]{Markup.Escape(aliasName)}[/] of {Markup.Escape(modelName)}.");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
