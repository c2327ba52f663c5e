using Granary.Core.Data;

namespace Granary.Storage.Metadata;

/// <summary>A dataset as the metadata store knows it.</summary>
public sealed record DatasetRecord(string Name, int LatestVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// One immutable version. <see cref="BaseVersion"/> is the upload that started its lineage: the version's
/// chunks are those added by versions BaseVersion..Version, so an append stores only its new chunks.
/// </summary>
public sealed record DatasetVersionRecord(
    string Name,
    int Version,
    int BaseVersion,
    VersionKind Kind,
    DatasetSchema Schema,
    long RowCount,
    long AddedRows,
    long ByteCount,
    int ChunkCount,
    DateTimeOffset CreatedAt);

public enum VersionKind
{
    Upload,
    Append,
}

/// <summary>A chunk file of a dataset, added by <see cref="AddedInVersion"/>. <see cref="Sequence"/> orders chunks.</summary>
public sealed record ChunkRecord(int Sequence, string Path, long RowCount, long ByteCount, int AddedInVersion);

/// <summary>A chunk written to the blob store and waiting to be committed.</summary>
public sealed record NewChunk(string Path, long RowCount, long ByteCount);

/// <summary>A dataset list entry with its latest version's size.</summary>
public sealed record DatasetListing(DatasetRecord Dataset, DatasetVersionRecord Latest);
