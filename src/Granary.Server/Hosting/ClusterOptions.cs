using System.ComponentModel.DataAnnotations;
using Granary.Cluster.Security;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Shared secret of the cluster, at least 32 characters (e.g. <c>openssl rand -base64 48</c>). When set, every
    /// silo-to-silo connection must pass a challenge–response handshake proving knowledge of it before Orleans accepts it,
    /// so only nodes with the same secret join. Authenticates, does not encrypt. Default none (no handshake).
    /// </summary>
    [MinLength(ClusterKey.MinimumSecretLength)]
    public string? Secret { get; set; }

    /// <summary>Path of a file holding the cluster secret (surrounding whitespace ignored), read at start-up; instead of <see cref="Secret"/>.</summary>
    public string? SecretFile { get; set; }

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

    private static OptionsValidationException Invalid(string message) =>
        new(Section, typeof(ClusterOptions), [message]);
}
