using Granary.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Problems;

/// <summary>Builds problem+json results that always carry a stable <c>code</c>.</summary>
public static class ProblemResults
{
    public static ProblemHttpResult Create(int status, string code, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                extensions[key] = value;
            }
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: Title(status), type: $"https://granary.dev/problems/{code}", extensions: extensions);
    }

    public static ProblemHttpResult InvalidName(string what, string value) =>
        Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidName,
            $"Invalid {what} name '{Truncate(value)}': use 1-64 characters of a-z, 0-9, '-', '_', '.', starting with a letter or digit.");

    public static ProblemHttpResult InvalidArgument(string detail) => Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidArgument, detail);

    public static ProblemHttpResult DatasetNotFound(string name) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.DatasetNotFound, $"Dataset '{name}' does not exist.");

    public static ProblemHttpResult VersionNotFound(string name, int version) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.VersionNotFound, $"Dataset '{name}' has no version {version}.");

    public static ProblemHttpResult ModelNotFound(string name) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.ModelNotFound, $"Model '{name}' does not exist.");

    public static ProblemHttpResult ModelVersionNotFound(string name, int version) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.VersionNotFound, $"Model '{name}' has no version {version}.");

    public static ProblemHttpResult AliasNotFound(string name, string alias) =>
        Create(StatusCodes.Status404NotFound, ErrorCodes.AliasNotFound, $"Model '{name}' has no alias '{alias}'.");

    public static ProblemHttpResult FromDataFormat(DataFormatException error)
    {
        var status = error.Code is DataFormatErrors.TypeMismatch or DataFormatErrors.SchemaMismatch
            ? StatusCodes.Status422UnprocessableEntity
            : StatusCodes.Status400BadRequest;
        var where = error.Line is { } line
            ? error.Column is { } column ? $"line {line}, column {column}: " : $"line {line}: "
            : string.Empty;
        return Create(status, error.Code, where + error.Message, new Dictionary<string, object?>
        {
            ["line"] = error.Line,
            ["column"] = error.Column,
            ["field"] = error.Field,
        });
    }

    public static string Truncate(string value, int max = 80) => value.Length <= max ? value : value[..max] + "…";

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable content",
        500 => "Internal error",
        503 => "Unavailable",
        _ => "Error",
    };
}
