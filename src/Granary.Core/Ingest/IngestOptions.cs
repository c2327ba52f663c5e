using Granary.Core.Data;

namespace Granary.Core.Ingest;

/// <summary>How an input file is turned into frames.</summary>
public sealed class IngestOptions
{
    /// <summary>Rows per chunk (frame). Default 262,144.</summary>
    public int ChunkRows { get; init; } = 262_144;

    /// <summary>
    /// When set (appends), the input must have exactly these columns (any order in the header) and every
    /// value must parse as the column's type; no inference happens.
    /// </summary>
    public DatasetSchema? ExpectedSchema { get; init; }

    /// <summary>Column types forced by the client, overriding inference. Unknown names are an error.</summary>
    public IReadOnlyDictionary<string, ColumnType> TypeOverrides { get; init; } =
        new Dictionary<string, ColumnType>(StringComparer.Ordinal);

    /// <summary>Rows looked at to infer column types. Default 10,000. Later rows must fit the inferred types.</summary>
    public int InferenceRows { get; init; } = 10_000;

    /// <summary>CSV delimiter; null detects among comma, semicolon and tab from the header line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Most columns accepted. Default 4,096.</summary>
    public int MaxColumns { get; init; } = 4_096;
}
