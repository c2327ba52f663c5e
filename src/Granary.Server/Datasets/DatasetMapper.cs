using Granary.Client.Models;
using Granary.Core.Data;
using Granary.Storage.Metadata;

namespace Granary.Server.Datasets;

/// <summary>Stored records to the HTTP contract's shapes.</summary>
public static class DatasetMapper
{
    public static IReadOnlyList<ColumnInfo> ToColumns(DatasetSchema schema) =>
        schema.Columns.Select(c => new ColumnInfo(c.Name, SchemaJson.TypeName(c.Type))).ToList();

    public static DatasetSummary ToSummary(DatasetListing listing) => new(
        listing.Dataset.Name,
        listing.Dataset.LatestVersion,
        listing.Latest.RowCount,
        listing.Latest.Schema.Columns.Count,
        listing.Latest.ByteCount,
        listing.Dataset.CreatedAt,
        listing.Dataset.UpdatedAt);

    public static DatasetVersionInfo ToInfo(DatasetVersionRecord version, IReadOnlyList<ChunkRecord> chunks) => new(
        version.Name,
        version.Version,
        Kind(version.Kind),
        version.RowCount,
        version.AddedRows,
        version.ByteCount,
        version.CreatedAt,
        ToColumns(version.Schema),
        chunks.Select((c, i) => new ChunkInfo(i, c.RowCount, c.ByteCount, c.Path)).ToList());

    public static DatasetInfo ToInfo(DatasetRecord dataset, IReadOnlyList<DatasetVersionRecord> versions) => new(
        dataset.Name,
        dataset.LatestVersion,
        ToColumns(versions.Single(v => v.Version == dataset.LatestVersion).Schema),
        versions.Select(v => new VersionSummary(v.Version, Kind(v.Kind), v.RowCount, v.AddedRows, v.ChunkCount, v.ByteCount, v.CreatedAt)).ToList(),
        dataset.CreatedAt,
        dataset.UpdatedAt);

    private static string Kind(VersionKind kind) => kind == VersionKind.Upload ? "upload" : "append";
}
