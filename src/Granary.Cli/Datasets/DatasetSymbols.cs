using System.CommandLine;

namespace Granary.Cli.Datasets;

/// <summary>Arguments and options shared by several dataset commands; new instances per command keep help text local.</summary>
internal static class DatasetSymbols
{
    public static Argument<string> Name() => new("name")
    {
        Description = "The dataset's name ([a-z0-9][a-z0-9-_.]{0,63}).",
    };

    public static Option<int?> Version(string what) => new("--version")
    {
        Description = $"The version to {what} (default: the latest).",
        HelpName = "v",
        Validators =
        {
            result =>
            {
                // Read the token, not the converted value: conversion throws here when the token is not a number
                // (the parser reports that case itself).
                if (result.Tokens is [var token] && int.TryParse(token.Value, out var version) && version <= 0)
                {
                    result.AddError("--version must be 1 or more.");
                }
            },
        },
    };
}
