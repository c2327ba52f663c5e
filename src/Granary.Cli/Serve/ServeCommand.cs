using System.CommandLine;
using Granary.Server;
using Microsoft.Extensions.Options;

namespace Granary.Cli.Serve;

/// <summary>
/// <c>granary serve</c>: runs a node in this process until Ctrl+C or SIGTERM, then stops gracefully
/// (in-flight requests finish). Any other <c>--Section:Key=value</c> goes to the node's configuration.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder for the node's files (default ./granary-data).", HelpName = "dir" };
        var urls = new Option<string?>("--urls") { Description = "HTTP addresses, ';'-separated (default http://127.0.0.1:5080).", HelpName = "urls" };
        var cluster = new Option<string?>("--cluster") { Description = "Cluster name: nodes with the same name and database form one cluster (default granary).", HelpName = "name" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string: metadata and membership there, i.e. cluster mode.", HelpName = "connection" };
        var blobs = new Option<string?>("--blobs") { Description = "Blob folder; in a cluster, a path every node shares (default DIR/blobs).", HelpName = "dir" };
        var command = new Command("serve", "Start a Granary node: HTTP API and Orleans silo in one process. Extra --Section:Key=value options set configuration.")
        {
            data,
            urls,
            cluster,
            postgres,
            blobs,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var args = new List<string>();
            if (parseResult.GetValue(data) is { } directory)
            {
                args.AddRange(["--data", directory]);
            }

            if (parseResult.GetValue(urls) is { } addresses)
            {
                args.AddRange(["--urls", addresses]);
            }

            foreach (var (option, name) in new[] { (cluster, "--cluster"), (postgres, "--postgres"), (blobs, "--blobs") })
            {
                if (parseResult.GetValue(option) is { } value)
                {
                    args.AddRange([name, value]);
                }
            }

            args.AddRange(parseResult.UnmatchedTokens);
            var console = CliInvoker.Console;
            try
            {
                await using var app = GranaryNode.Build([.. args]);
                await app.RunAsync();
                return ExitCodes.Ok;
            }
            catch (OptionsValidationException error)
            {
                console.WriteError("invalid configuration: " + string.Join("; ", error.Failures));
                return ExitCodes.Usage;
            }
            catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                console.WriteError(error.Message);
                return ExitCodes.ServerError;
            }
        });
        return command;
    }
}
