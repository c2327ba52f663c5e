namespace Granary.Core.Ingest;

/// <summary>The stable error codes raised while reading input files.</summary>
public static class DataFormatErrors
{
    public const string EmptyBody = "empty_body";
    public const string NoRows = "no_rows";
    public const string RaggedRow = "ragged_row";
    public const string UnterminatedQuote = "unterminated_quote";
    public const string InvalidQuote = "invalid_quote";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string DuplicateColumn = "duplicate_column";
    public const string EmptyColumnName = "empty_column_name";
    public const string TypeMismatch = "type_mismatch";
    public const string SchemaMismatch = "schema_mismatch";
    public const string InvalidJson = "invalid_json";
    public const string InvalidParquet = "invalid_parquet";
    public const string UnknownColumn = "unknown_column";
    public const string TooManyColumns = "too_many_columns";
}
