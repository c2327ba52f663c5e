using System.CommandLine;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Datasets;

/// <summary><c>datasets profile NAME [--version V]</c>.</summary>
internal static class ProfileCommand
{
    public static Command Create()
    {
        var name = DatasetSymbols.Name();
        var version = DatasetSymbols.Version("profile");
        var command = new Command("profile", "Show per-column statistics (computed once per version, then cached).") { name, version };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var profile = await client.GetProfileAsync(parseResult.GetRequiredValue(name), parseResult.GetValue(version), ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(profile);
            }
            else
            {
                context.Console.Output.Write(DataTables.Profile(profile));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
