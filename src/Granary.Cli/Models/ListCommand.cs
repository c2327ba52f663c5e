using System.CommandLine;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Models;

/// <summary><c>models list</c>.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the models on the node with their aliases.");
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var models = await client.ListModelsAsync(ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { models });
            }
            else if (models.Count == 0)
            {
                context.Console.RawOutput.WriteLine("No models yet. Training registers them.");
            }
            else
            {
                context.Console.Output.Write(ModelTables.List(models));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
