using System.CommandLine;

namespace Granary.Cli.Models;

/// <summary><c>granary models ...</c>: the command group for the model registry.</summary>
internal static class ModelsCommand
{
    public static Command Create() => new("models", "List and inspect models, move aliases, delete versions.")
    {
        ListCommand.Create(),
        ShowCommand.Create(),
        AliasCommand.Create(),
        UnaliasCommand.Create(),
        DeleteVersionCommand.Create(),
    };
}
