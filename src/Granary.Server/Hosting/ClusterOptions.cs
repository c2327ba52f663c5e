using System.ComponentModel.DataAnnotations;
using System.Net;
using Granary.Cluster.Security;
using Microsoft.Extensions.Options;

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
    /// Shared secret of the cluster, at least 32 characters (e.g. <c>openssl rand -base64 48</c>). Every
    /// silo-to-silo connection must pass a challenge-response handshake proving knowledge of it before Orleans
    /// accepts it, so only nodes with the same secret join. Authenticates, does not encrypt. Required in
    /// cluster mode (or <see cref="SecretFile"/>); optional on a single node.
    /// </summary>
    [MinLength(ClusterKey.MinimumSecretLength)]
    public string? Secret { get; set; }

    /// <summary>Path of a file holding the cluster secret (surrounding whitespace ignored), read at start-up; instead of <see cref="Secret"/>.</summary>
    public string? SecretFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"Cluster:AdvertisedAddress must be an IP address, not '{AdvertisedAddress}'.", [nameof(AdvertisedAddress)]);
        }
    }

    /// <summary>
    /// The configured secret, from <see cref="Secret"/> or <see cref="SecretFile"/>, or null when neither is set.
    /// Throws <see cref="OptionsValidationException"/> when both are set, the file cannot be
    /// read, or the secret is shorter than 32 characters.
    /// </summary>
    public string? ResolveSecret()
    {
        var hasSecret = !string.IsNullOrEmpty(Secret);
        var hasFile = !string.IsNullOrWhiteSpace(SecretFile);
        if (!hasSecret && !hasFile)
        {
            return null;
        }

        if (hasSecret && hasFile)
        {
            throw Invalid($"Set {Section}:{nameof(Secret)} or {Section}:{nameof(SecretFile)}, not both.");
        }

        string secret;
        if (hasFile)
        {
            try
            {
                secret = File.ReadAllText(SecretFile!).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid($"{Section}:{nameof(SecretFile)} '{SecretFile}' cannot be read: {e.Message}");
            }
        }
        else
        {
            secret = Secret!;
        }

        if (secret.Length < ClusterKey.MinimumSecretLength)
        {
            throw Invalid($"The cluster secret ({(hasFile ? $"{Section}:{nameof(SecretFile)}" : $"{Section}:{nameof(Secret)}")}) must be at least {ClusterKey.MinimumSecretLength} characters long.");
        }

        return secret;
    }

    internal static OptionsValidationException Invalid(string message) =>
        new(Section, typeof(ClusterOptions), [message]);
}
