using System.CommandLine;
using Granary.Cli.Datasets;
using Granary.Cli.Inference;
using Granary.Cli.Jobs;
using Granary.Cli.Keys;
using Granary.Cli.Models;
using Granary.Cli.Serve;

namespace Granary.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args) => CliInvoker.InvokeAsync(CreateRootCommand(), args, CliConsole.CreateSystem());

    internal static RootCommand CreateRootCommand()
    {
        // One entry per command group; each group is self-contained, so adding one is a one-line change.
        Command[] groups =
        [
            ServeCommand.Create(),
            KeysCommand.Create(),
            DatasetsCommand.Create(),
            TrainCommand.Create(),
            JobsCommand.Create(),
            EvaluateCommand.Create(),
            EvaluateCommand.CreateScore(),
            ModelsCommand.Create(),
            PredictCommand.Create(),
            Granary.Cli.Cluster.ClusterCommand.Create(),
        ];
        return CliRoot.Create(groups);
    }
}
