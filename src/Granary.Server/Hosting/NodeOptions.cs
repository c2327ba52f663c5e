using System.ComponentModel.DataAnnotations;

namespace Granary.Server.Hosting;

/// <summary>Where this node keeps its files. Section <c>Node</c>; <c>--data DIR</c> sets <see cref="DataDirectory"/>.</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Root folder for the SQLite file and the blobs when those are not set explicitly. Default <c>./granary-data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "granary-data";

    /// <summary>
    /// Chunks this node loads or computes over at once (data-plane slots). Default 0: one per core.
    /// Each slot may hold one decoded chunk in flight, so this also bounds that memory.
    /// </summary>
    [Range(0, 1024)]
    public int ComputeSlots { get; set; }

    /// <summary>Default HTTP address when neither <c>--urls</c> nor ASPNETCORE_URLS is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";
}
