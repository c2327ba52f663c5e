using System.Net;
using Granary.Client.Models;

namespace Granary.Client;

/// <summary>A non-success response from a Granary node, with the problem it described when it sent one.</summary>
public sealed class GranaryApiException : Exception
{
    public GranaryApiException(HttpStatusCode statusCode, Problem? problem, string? rawBody = null)
        : base(BuildMessage(statusCode, problem, rawBody))
    {
        StatusCode = statusCode;
        Problem = problem;
        RawBody = rawBody;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The parsed <c>application/problem+json</c> body; null when the body was not a problem.</summary>
    public Problem? Problem { get; }

    /// <summary>The response body as text when it could not be parsed as a problem (truncated).</summary>
    public string? RawBody { get; }

    /// <summary>The stable error code (e.g. <c>ragged_row</c>), when the node sent one.</summary>
    public string? Code => Problem?.Code;

    private static string BuildMessage(HttpStatusCode statusCode, Problem? problem, string? rawBody)
    {
        var detail = problem?.Detail ?? problem?.Title;
        if (string.IsNullOrWhiteSpace(detail))
        {
            detail = string.IsNullOrWhiteSpace(rawBody) ? statusCode.ToString() : rawBody;
        }

        var location = (problem?.Line, problem?.Column) switch
        {
            ({ } line, { } column) => $"line {line}, column {column}: ",
            ({ } line, null) => $"line {line}: ",
            _ => string.Empty,
        };
        return $"{location}{detail}";
    }
}
