using System.ComponentModel.DataAnnotations;

namespace Granary.Server.Hosting;

/// <summary>The Orleans silo of this node. Section <c>Cluster</c>.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>Cluster id; nodes with the same id form one cluster. Default <c>granary</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-_.]{0,63}$")]
    public string Name { get; set; } = "granary";

    /// <summary>Silo-to-silo port. Default 0: a free port is chosen (single node).</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }
}
