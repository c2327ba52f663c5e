using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Granary.Server.Hosting;

/// <summary>
/// The Orleans silo of this node. Section <c>Cluster</c>. A node whose metadata store is PostgreSQL
/// (<c>Storage:Metadata=postgres</c>, or just <c>--postgres</c>) is in cluster mode: it joins every node
/// with the same <see cref="Name"/> in that database; otherwise it is a single node on loopback.
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>Cluster id; nodes with the same id form one cluster. Default <c>granary</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-_.]{0,63}$")]
    public string Name { get; set; } = "granary";

    /// <summary>Silo-to-silo port. Default 0: a free port is chosen (fine on one machine; open a fixed one between machines).</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>
    /// The address other nodes reach this node's silo at, published in the membership table. Default
    /// <c>127.0.0.1</c>: a cluster on one machine. Between machines, set it to this machine's private address.
    /// </summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo listens on every interface instead of the advertised address only (behind NAT). Default false.</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>How long a liveness probe of another node may take before it counts as missed. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes after which a node suspects another. Default 2.</summary>
    [Range(1, 10)]
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>Suspicions needed to declare a node dead. Default 1, so a 2-node cluster can lose a node.</summary>
    [Range(1, 10)]
    public int DeathVotes { get; set; } = 1;

    /// <summary>
    /// The shared secret every node of the cluster proves it knows before a silo connection is accepted
    /// (at least 32 characters). Required in cluster mode, unless <see cref="SecretFile"/> is set.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>A file holding <see cref="Secret"/> (trailing whitespace ignored), read at start-up.</summary>
    public string? SecretFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"Cluster:AdvertisedAddress must be an IP address, not '{AdvertisedAddress}'.", [nameof(AdvertisedAddress)]);
        }

        if (Secret is not null && SecretFile is not null)
        {
            yield return new ValidationResult("Set Cluster:Secret or Cluster:SecretFile, not both.", [nameof(Secret)]);
        }

        if (SecretFile is not null && !File.Exists(SecretFile))
        {
            yield return new ValidationResult($"Cluster:SecretFile '{SecretFile}' does not exist.", [nameof(SecretFile)]);
        }
    }

    /// <summary>The configured secret, read from <see cref="SecretFile"/> when that is how it was given.</summary>
    public string? ResolveSecret() => SecretFile is { } file ? File.ReadAllText(file).TrimEnd() : Secret;
}
