using Granary.Core.Ingest;
using Granary.Storage.Metadata;
using Microsoft.AspNetCore.Diagnostics;

namespace Granary.Server.Problems;

/// <summary>
/// Turns exceptions that escape an endpoint into problem+json: input faults become 4xx with their stable
/// code; anything else is logged and answered 500 <c>internal_error</c> without internals.
/// </summary>
internal sealed partial class GranaryExceptionHandler(ILogger<GranaryExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer; 499 shows in the logs as nginx would.
            context.Response.StatusCode = 499;
            return true;
        }

        var result = Map(exception);
        if (result is null)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
            result = ProblemResults.Create(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                "An unexpected error occurred; the server log has the details.");
        }

        await result.ExecuteAsync(context);
        return true;
    }

    internal static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? Map(Exception exception) => Unwrap(exception) switch
    {
        DataFormatException format => ProblemResults.FromDataFormat(format),
        MetadataConflictException { Code: "dataset_not_found" or "model_not_found" or "version_not_found" } conflict => ProblemResults.Create(StatusCodes.Status404NotFound, conflict.Code, conflict.Message),
        MetadataConflictException conflict => ProblemResults.Create(StatusCodes.Status409Conflict, conflict.Code, conflict.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ProblemResults.Create(
            StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, "The request body is larger than this server accepts (Datasets:MaxUploadBytes)."),
        BadHttpRequestException bad => ProblemResults.Create(bad.StatusCode, ErrorCodes.BadRequest, bad.Message),
        _ => null,
    };

    /// <summary>Finds a known fault anywhere in the inner-exception chain (pipelines wrap them).</summary>
    private static Exception Unwrap(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DataFormatException or BadHttpRequestException or MetadataConflictException)
            {
                return current;
            }
        }

        return exception;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
