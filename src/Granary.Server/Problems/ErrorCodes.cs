namespace Granary.Server.Problems;

/// <summary>Stable <c>code</c> values of problem responses (file-format codes come from DataFormatErrors).</summary>
public static class ErrorCodes
{
    public const string InvalidName = "invalid_name";
    public const string InvalidArgument = "invalid_argument";
    public const string Unauthorized = "unauthorized";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string DatasetNotFound = "dataset_not_found";
    public const string VersionNotFound = "version_not_found";
    public const string ModelNotFound = "model_not_found";
    public const string AliasNotFound = "alias_not_found";
    public const string VersionHasAlias = "version_has_alias";
    public const string SchemaChanged = "schema_changed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string BadRequest = "bad_request";
    public const string InternalError = "internal_error";
}
