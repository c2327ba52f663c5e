using System.ComponentModel.DataAnnotations;

namespace Granary.Server.Hosting;

/// <summary>Limits and shapes of dataset ingest. Section <c>Datasets</c>.</summary>
public sealed class DatasetsOptions
{
    public const string Section = "Datasets";

    /// <summary>Largest upload or append body. Default 10 GiB.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 10L << 30;

    /// <summary>Rows per stored chunk. Default 262,144.</summary>
    [Range(1, 16_777_216)]
    public int ChunkRows { get; set; } = 262_144;

    /// <summary>Rows read to infer column types. Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int InferenceRows { get; set; } = 10_000;

    /// <summary>Most columns in a dataset. Default 4,096.</summary>
    [Range(1, 100_000)]
    public int MaxColumns { get; set; } = 4_096;

    /// <summary>Memory for decoded chunks kept on this node. Default 2 GiB.</summary>
    [Range(0L, long.MaxValue)]
    public long ChunkCacheBytes { get; set; } = 2L << 30;

    /// <summary>Most rows a preview returns. Default 1,000.</summary>
    [Range(1, 100_000)]
    public int MaxPreviewRows { get; set; } = 1_000;
}
