using System.Net;
using System.Net.Sockets;
using Granary.Client;
using Granary.Client.Models;

namespace Granary.Cli;

/// <summary>Turns failures into the one-line messages the CLI prints.</summary>
internal static class ErrorMessages
{
    /// <summary>"line 12, column 7: detail (code)" for file errors; "detail (code)" otherwise.</summary>
    public static string Describe(GranaryApiException ex) => Describe(ex.StatusCode, ex.Problem, ex.RawBody);

    public static string Describe(HttpStatusCode status, Problem? problem, string? rawBody)
    {
        var detail = problem?.Detail ?? problem?.Title;
        if (string.IsNullOrWhiteSpace(detail))
        {
            detail = string.IsNullOrWhiteSpace(rawBody)
                ? $"the node answered {(int)status} {status}"
                : $"the node answered {(int)status}: {rawBody.Trim()}";
        }

        // The server already leads its detail with the position; add it only when it does not.
        var location = detail.StartsWith("line ", StringComparison.Ordinal) ? string.Empty : problem switch
        {
            { Line: { } line, Column: { } column } => $"line {line}, column {column}: ",
            { Line: { } line } => $"line {line}: ",
            _ => string.Empty,
        };
        var field = problem?.Field is { Length: > 0 } f && !detail.Contains(f, StringComparison.Ordinal) ? $" [field '{f}']" : string.Empty;
        var code = problem?.Code is { Length: > 0 } c ? $" ({c})" : string.Empty;
        return $"{location}{detail}{field}{code}";
    }

    public static string Unreachable(Uri url, HttpRequestException ex)
    {
        var reason = ex.InnerException switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData } => "host not found",
            SocketException { SocketErrorCode: SocketError.TimedOut } => "connection timed out",
            SocketException socket => socket.Message,
            _ when ex.HttpRequestError == HttpRequestError.NameResolutionError => "host not found",
            _ => ex.Message,
        };
        return $"The Granary server at {url} is not reachable ({reason}).";
    }
}
