using System.Security.Cryptography;
using System.Text;

namespace Granary.Cluster.Security;

/// <summary>
/// The handshake key derived from the cluster secret: HKDF-SHA256 over the secret's UTF-8 bytes with a fixed,
/// versioned label, so the raw secret is never used as a MAC key and the derivation can change with the protocol.
/// </summary>
public sealed class ClusterKey
{
    /// <summary>The shortest accepted secret, in characters.</summary>
    public const int MinimumSecretLength = 32;

    private static readonly byte[] DerivationLabel = "granary/cluster-handshake/v1/key"u8.ToArray();

    private readonly byte[] key;

    private ClusterKey(byte[] key) => this.key = key;

    /// <summary>Derives the key; throws <see cref="ArgumentException"/> when the secret is shorter than <see cref="MinimumSecretLength"/> characters.</summary>
    public static ClusterKey FromSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinimumSecretLength)
        {
            throw new ArgumentException($"The cluster secret must be at least {MinimumSecretLength} characters long.", nameof(secret));
        }

        var material = Encoding.UTF8.GetBytes(secret);
        try
        {
            return new ClusterKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, salt: [], info: DerivationLabel));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> under this key, written to <paramref name="destination"/> (32 bytes).</summary>
    internal void Mac(ReadOnlySpan<byte> data, Span<byte> destination) => HMACSHA256.HashData(key, data, destination);
}
