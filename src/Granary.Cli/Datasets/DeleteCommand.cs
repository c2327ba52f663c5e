using System.CommandLine;
using Spectre.Console;

namespace Granary.Cli.Datasets;

/// <summary><c>datasets delete NAME [--yes]</c>: asks first on a terminal, refuses without --yes otherwise.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var name = DatasetSymbols.Name();
        var yes = new Option<bool>("--yes", "-y") { Description = "Delete without asking for confirmation." };
        var command = new Command("delete", "Delete a dataset with all its versions and files.") { name, yes };
        command.Aliases.Add("rm");
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var datasetName = parseResult.GetRequiredValue(name);
            if (!parseResult.GetValue(yes))
            {
                // A script piping into the CLI cannot answer a prompt; refusing is safer than deleting or hanging.
                if (!context.Console.InputIsTerminal)
                {
                    context.Console.WriteError(
                        $"Refusing to delete '{datasetName}' without confirmation: stdin is not a terminal. Pass --yes to delete.");
                    return ExitCodes.Usage;
                }

                var confirmed = await context.Console.Output.ConfirmAsync(
                    $"Delete dataset [bold]{Markup.Escape(datasetName)}[/] with all its versions and files?", defaultValue: false, ct).ConfigureAwait(false);
                if (!confirmed)
                {
                    context.Console.WriteHint("Not deleted.");
                    return ExitCodes.Usage;
                }
            }

            await client.DeleteDatasetAsync(datasetName, ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { deleted = datasetName });
            }
            else
            {
                context.Console.Output.MarkupLine($"Deleted dataset [bold]{Markup.Escape(datasetName)}[/].");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
