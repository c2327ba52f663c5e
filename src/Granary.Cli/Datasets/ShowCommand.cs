using System.CommandLine;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Datasets;

/// <summary><c>datasets show NAME [--version V]</c>: the schema and versions, or one version with its chunks.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var name = DatasetSymbols.Name();
        var version = DatasetSymbols.Version("show with its chunks");
        var command = new Command("show", "Show a dataset's schema and versions, or one version's chunks.") { name, version };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var datasetName = parseResult.GetRequiredValue(name);
            if (parseResult.GetValue(version) is { } v)
            {
                var info = await client.GetVersionAsync(datasetName, v, ct).ConfigureAwait(false);
                if (context.Json)
                {
                    context.WriteJson(info);
                }
                else
                {
                    context.Console.Output.Write(DatasetTables.Version(info));
                }
            }
            else
            {
                var info = await client.GetDatasetAsync(datasetName, ct).ConfigureAwait(false);
                if (context.Json)
                {
                    context.WriteJson(info);
                }
                else
                {
                    context.Console.Output.Write(DatasetTables.Dataset(info));
                }
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
