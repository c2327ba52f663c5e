using System.CommandLine;
using Spectre.Console;

namespace Granary.Cli.Models;

/// <summary>
/// <c>models delete-version NAME VERSION [--yes]</c>: asks first on a terminal, refuses without --yes otherwise.
/// The node itself refuses while an alias points at the version.
/// </summary>
internal static class DeleteVersionCommand
{
    public static Command Create()
    {
        var name = ModelSymbols.Name();
        var version = ModelSymbols.VersionArgument("delete");
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking for confirmation." };
        var command = new Command("delete-version", "Delete one version of a model and its artifact.") { name, version, yes };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var modelName = parseResult.GetRequiredValue(name);
            var number = parseResult.GetValue(version);
            if (!parseResult.GetValue(yes))
            {
                // A script piping into the CLI cannot answer a prompt; refusing is safer than deleting or hanging.
                if (!context.Console.InputIsTerminal)
                {
                    context.Console.WriteError(
                        $"Refusing to delete version {number} of '{modelName}' without confirmation: stdin is not a terminal. Pass --yes to delete.");
                    return ExitCodes.Usage;
                }

                var confirmed = await context.Console.Output.ConfirmAsync(
                    $"Delete version [bold]{number}[/] of model [bold]{Markup.Escape(modelName)}[/] and its artifact?", defaultValue: false, ct).ConfigureAwait(false);
                if (!confirmed)
                {
                    context.Console.WriteHint("Not deleted.");
                    return ExitCodes.Usage;
                }
            }

            await client.DeleteModelVersionAsync(modelName, number, ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { model = modelName, deletedVersion = number });
            }
            else
            {
                context.Console.Output.MarkupLine($"Deleted version {number} of model [bold]{Markup.Escape(modelName)}[/].");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
