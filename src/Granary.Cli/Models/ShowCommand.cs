using System.CommandLine;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Models;

/// <summary><c>models show NAME [--version V]</c>: versions, aliases and their history, or one version in full.</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var name = ModelSymbols.Name();
        var version = ModelSymbols.VersionOption("show with its parameters, metrics and coefficients");
        var command = new Command("show", "Show a model's versions, aliases and alias history, or one version in full.") { name, version };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var modelName = parseResult.GetRequiredValue(name);
            if (parseResult.GetValue(version) is { } v)
            {
                var info = await client.GetModelVersionAsync(modelName, v, ct).ConfigureAwait(false);
                if (context.Json)
                {
                    context.WriteJson(info);
                }
                else
                {
                    context.Console.Output.Write(ModelTables.Version(info));
                }
            }
            else
            {
                var info = await client.GetModelAsync(modelName, ct).ConfigureAwait(false);
                if (context.Json)
                {
                    context.WriteJson(info);
                }
                else
                {
                    context.Console.Output.Write(ModelTables.Model(info));
                }
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
