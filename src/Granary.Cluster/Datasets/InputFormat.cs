namespace Granary.Cluster.Datasets;

/// <summary>The file formats an upload may carry.</summary>
public enum InputFormat
{
    Csv,
    NdJson,
    Parquet,
}

public static class InputFormats
{
    /// <summary>Maps a Content-Type (parameters ignored) to a format; null when unsupported.</summary>
    public static InputFormat? FromContentType(string? contentType)
    {
        var media = contentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        return media switch
        {
            "text/csv" or "application/csv" or "text/tab-separated-values" => InputFormat.Csv,
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines" => InputFormat.NdJson,
            "application/x-parquet" or "application/vnd.apache.parquet" or "application/parquet" => InputFormat.Parquet,
            _ => null,
        };
    }
}
