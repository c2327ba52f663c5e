using System.CommandLine;

namespace Granary.Cli.Datasets;

/// <summary><c>granary datasets ...</c>: the command group for the datasets API.</summary>
internal static class DatasetsCommand
{
    public static Command Create() => new("datasets", "Upload, append, inspect and delete datasets.")
    {
        UploadCommand.Create(append: false),
        UploadCommand.Create(append: true),
        ListCommand.Create(),
        ShowCommand.Create(),
        PreviewCommand.Create(),
        ProfileCommand.Create(),
        DeleteCommand.Create(),
    };
}
