using System.CommandLine;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Datasets;

/// <summary><c>datasets list</c>.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the datasets on the node.");
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var datasets = await client.ListDatasetsAsync(ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { datasets });
            }
            else if (datasets.Count == 0)
            {
                context.Console.RawOutput.WriteLine("No datasets yet. Upload one with 'granary datasets upload NAME FILE'.");
            }
            else
            {
                context.Console.Output.Write(DatasetTables.List(datasets));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
