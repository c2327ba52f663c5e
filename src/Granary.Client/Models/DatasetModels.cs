namespace Granary.Client.Models;

/// <summary>A column of a dataset schema. <c>Type</c> is numeric, boolean, string or timestamp.</summary>
public sealed record ColumnInfo(string Name, string Type);

/// <summary>One line of <c>GET /v1/datasets</c>.</summary>
public sealed record DatasetSummary(
    string Name,
    int LatestVersion,
    long Rows,
    int Columns,
    long Bytes,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A stored chunk: one Parquet file of a version.</summary>
public sealed record ChunkInfo(int Index, long Rows, long Bytes, string Path);

/// <summary>An immutable version of a dataset. <c>Kind</c> is upload or append.</summary>
public sealed record DatasetVersionInfo(
    string Name,
    int Version,
    string Kind,
    long Rows,
    long AddedRows,
    long Bytes,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ColumnInfo> Schema,
    IReadOnlyList<ChunkInfo> Chunks);

/// <summary>A version as listed inside <see cref="DatasetInfo"/> (no chunk list).</summary>
public sealed record VersionSummary(int Version, string Kind, long Rows, long AddedRows, int Chunks, long Bytes, DateTimeOffset CreatedAt);

/// <summary><c>GET /v1/datasets/{name}</c>: the latest schema and every version.</summary>
public sealed record DatasetInfo(
    string Name,
    int LatestVersion,
    IReadOnlyList<ColumnInfo> Schema,
    IReadOnlyList<VersionSummary> Versions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary><c>GET /v1/datasets/{name}/preview</c>: the first rows, as JSON objects keyed by column name.</summary>
public sealed record DatasetPreview(
    string Name,
    int Version,
    IReadOnlyList<ColumnInfo> Schema,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows);

/// <summary><c>GET /v1/datasets</c>.</summary>
public sealed record DatasetList(IReadOnlyList<DatasetSummary> Datasets);
