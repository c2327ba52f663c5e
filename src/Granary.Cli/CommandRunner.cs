using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Granary.Client;

namespace Granary.Cli;

/// <summary>
/// Runs a command body against a node and turns every failure into one readable line and an exit code,
/// so no command prints a stack trace for an expected error.
/// </summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        Func<CommandContext, GranaryClient, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        var console = CliInvoker.Console;
        var context = CommandContext.From(parseResult, console);
        if (context is null)
        {
            return ExitCodes.Usage;
        }

        using var client = context.CreateClient();
        try
        {
            return await body(context, client, cancellationToken).ConfigureAwait(false);
        }
        catch (GranaryApiException ex)
        {
            console.WriteError(ErrorMessages.Describe(ex));
            if (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                console.WriteHint("Pass --api-key or set GRANARY_API_KEY.");
            }

            return ExitCodes.ServerError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteError("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (OperationCanceledException)
        {
            // Not the user's Ctrl+C, so a client-side timeout (connect or overall).
            console.WriteError($"The Granary server at {context.Url} did not respond in time.");
            console.WriteHint("Check that the node is running and reachable ('granary serve' starts one).");
            return ExitCodes.CannotConnect;
        }
        catch (HttpRequestException ex) when (IsConnectFailure(ex))
        {
            console.WriteError(ErrorMessages.Unreachable(context.Url, ex));
            console.WriteHint("Start a node with 'granary serve', or point --url (or GRANARY_URL) at a running one.");
            return ExitCodes.CannotConnect;
        }
        catch (HttpRequestException ex)
        {
            console.WriteError($"The request to {context.Url} failed: {ex.Message}");
            return ExitCodes.ServerError;
        }
        catch (System.Text.Json.JsonException ex)
        {
            console.WriteError($"The node at {context.Url} sent a response this client cannot read: {ex.Message}");
            return ExitCodes.ServerError;
        }
        catch (IOException ex)
        {
            // Local file errors (unreadable, vanished mid-upload) are the caller's to fix.
            console.WriteError(ex.Message);
            return ExitCodes.Usage;
        }
        catch (UnauthorizedAccessException ex)
        {
            console.WriteError(ex.Message);
            return ExitCodes.Usage;
        }
    }

    internal static bool IsConnectFailure(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
        || ex.InnerException is SocketException;
}
