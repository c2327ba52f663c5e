using System.CommandLine;

namespace Granary.Cli;

/// <summary>Builds the root command: global options plus the command groups it is given.</summary>
internal static class CliRoot
{
    public static RootCommand Create(IEnumerable<Command> groups)
    {
        var root = new RootCommand("Granary: a self-hosted ML platform. Manage datasets on a Granary node.");
        root.Add(GlobalOptions.Url);
        root.Add(GlobalOptions.ApiKey);
        root.Add(GlobalOptions.Json);
        foreach (var group in groups)
        {
            root.Add(group);
        }

        return root;
    }
}
