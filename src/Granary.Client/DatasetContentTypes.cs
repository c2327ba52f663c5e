namespace Granary.Client;

/// <summary>Maps file extensions to the media types the datasets API accepts.</summary>
public static class DatasetContentTypes
{
    public const string Csv = "text/csv";
    public const string Ndjson = "application/x-ndjson";
    public const string Parquet = "application/x-parquet";

    /// <summary>The media type for <paramref name="path"/>'s extension, or null when the API does not accept it.</summary>
    public static string? FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" or ".tsv" => Csv,
            ".ndjson" or ".jsonl" => Ndjson,
            ".parquet" or ".pq" => Parquet,
            _ => null,
        };
    }
}
