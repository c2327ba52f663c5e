using System.CommandLine;
using System.CommandLine.Parsing;

namespace Granary.Cli.Models;

/// <summary>Arguments and options shared by the model commands; new instances per command keep help text local.</summary>
internal static class ModelSymbols
{
    public static Argument<string> Name() => new("name")
    {
        Description = "The model's name ([a-z0-9][a-z0-9-_.]{0,63}).",
    };

    public static Argument<string> Alias() => new("alias")
    {
        Description = "The alias, e.g. production (a name that is not all digits).",
    };

    public static Argument<int> VersionArgument(string what) => new("version")
    {
        Description = $"The version to {what}.",
        Validators = { result => RequirePositive(result, "version") },
    };

    public static Option<int?> VersionOption(string what) => new("--version")
    {
        Description = $"The version to {what}.",
        HelpName = "v",
        Validators = { result => RequirePositive(result, "--version") },
    };

    // Read the token, not the converted value: conversion throws here when the token is not a number
    // (the parser reports that case itself).
    private static void RequirePositive(SymbolResult result, string what)
    {
        if (result.Tokens is [var token] && int.TryParse(token.Value, out var version) && version <= 0)
        {
            result.AddError($"{what} must be 1 or more.");
        }
    }
}
