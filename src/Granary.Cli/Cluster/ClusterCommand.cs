using System.CommandLine;
using System.Globalization;
using Granary.Cli.Output;
using Spectre.Console;

namespace Granary.Cli.Cluster;

/// <summary><c>granary cluster</c>: the nodes of the cluster, their state and load.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var command = new Command("cluster", "Show the nodes of the cluster: state, uptime, cores, memory, CPU load, shards and running jobs.");
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var cluster = await client.GetClusterAsync(ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(cluster);
                return ExitCodes.Ok;
            }

            var table = new Table().RoundedBorder().AddColumns("Node", "URL", "State", "Uptime", "Cores", "Memory", "CPU", "Shards", "Jobs");
            foreach (var node in cluster.Nodes)
            {
                table.AddRow(
                    Markup.Escape(node.Id + (node.Id == cluster.AnsweredBy ? " *" : string.Empty)),
                    Markup.Escape(node.Url ?? "-"),
                    node.State == "active" ? "[green]active[/]" : node.State == "dead" ? "[red]dead[/]" : Markup.Escape(node.State),
                    node.UptimeSeconds is { } up ? ByteFormatter.FormatDuration(TimeSpan.FromSeconds(up)) : "-",
                    node.Cores?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    node.WorkingSetBytes is { } used && node.MemoryBytes is { } total ? $"{ByteFormatter.FormatBytes(used)} / {ByteFormatter.FormatBytes(total)}" : "-",
                    node.CpuLoad?.ToString("P0", CultureInfo.InvariantCulture) ?? "-",
                    node.Shards?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    node.RunningJobs?.ToString(CultureInfo.InvariantCulture) ?? "-");
            }

            context.Console.Output.MarkupLine(CultureInfo.InvariantCulture, $"Cluster [bold]{Markup.Escape(cluster.Name)}[/] ({cluster.Mode}), as node {Markup.Escape(cluster.AnsweredBy)} (*) sees it:");
            context.Console.Output.Write(table);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
