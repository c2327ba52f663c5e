using System.CommandLine;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Datasets;

/// <summary><c>datasets preview NAME [--limit N] [--version V]</c>.</summary>
internal static class PreviewCommand
{
    public const int MaxLimit = 1000;

    public static Command Create()
    {
        var name = DatasetSymbols.Name();
        var version = DatasetSymbols.Version("preview");
        var limit = new Option<int>("--limit", "-n")
        {
            Description = $"How many rows to show (1..{MaxLimit}).",
            DefaultValueFactory = _ => 20,
            HelpName = "n",
        };
        limit.Validators.Add(result =>
        {
            // The token, not the converted value: conversion throws here for a non-number, which the parser reports.
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var limit) && limit is < 1 or > MaxLimit)
            {
                result.AddError($"--limit must be between 1 and {MaxLimit}.");
            }
        });

        var command = new Command("preview", "Show the first rows of a dataset.") { name, limit, version };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var preview = await client.PreviewAsync(
                parseResult.GetRequiredValue(name), parseResult.GetValue(limit), parseResult.GetValue(version), ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(preview);
            }
            else
            {
                context.Console.Output.Write(DataTables.Preview(preview));
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
