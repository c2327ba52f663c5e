using System.IO.Pipelines;
using System.Security.Cryptography;

namespace Granary.Cluster.Security;

/// <summary>
/// The cluster-secret handshake: a mutual challenge–response that runs on a new silo connection before Orleans sees it.
/// <para>
/// Messages, in order (I = initiator, the side that connected; A = acceptor):
/// <list type="number">
/// <item>I → A: hello = magic <c>GRNY</c>, version byte, 32-byte random nonce Ni.</item>
/// <item>A → I: hello = magic, version, 32-byte random nonce Na.</item>
/// <item>I → A: proof = HMAC-SHA256(K, label ‖ version ‖ 'I' ‖ Ni ‖ Na).</item>
/// <item>A → I: proof = HMAC-SHA256(K, label ‖ version ‖ 'A' ‖ Ni ‖ Na), sent only once the initiator's proof checked out.</item>
/// </list>
/// K is derived from the secret (<see cref="ClusterKey"/>). Each proof covers both fresh nonces, so a recorded proof is
/// useless on another connection, and the role letter, so a proof cannot be reflected back to the side that made it.
/// The acceptor reveals no proof to a peer that has not proved itself first. Proofs are compared in constant time.
/// </para>
/// <para>
/// The version byte lets the protocol evolve: a peer speaking another version is refused with a clear reason.
/// </para>
/// </summary>
public static class ClusterHandshake
{
    /// <summary>The protocol version this build speaks.</summary>
    public const byte ProtocolVersion = 1;

    public const int NonceLength = 32;

    public const int ProofLength = 32;

    /// <summary>Magic (4 bytes), version (1), nonce (32).</summary>
    public const int HelloLength = 4 + 1 + NonceLength;

    private const byte InitiatorTag = (byte)'I';

    private const byte AcceptorTag = (byte)'A';

    private static ReadOnlySpan<byte> Magic => "GRNY"u8;

    private static ReadOnlySpan<byte> ProofLabel => "granary/cluster-handshake/v1/proof"u8;

    /// <summary>
    /// Runs this side of the handshake on <paramref name="transport"/>. Returns when the peer has proved that it knows the
    /// secret (and, for the acceptor, after our own proof has been sent); throws <see cref="ClusterHandshakeException"/>
    /// when it has not, and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires first.
    /// </summary>
    public static Task RunAsync(IDuplexPipe transport, ClusterKey key, ClusterHandshakeRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(key);
        return role switch
        {
            ClusterHandshakeRole.Initiator => InitiateAsync(transport, key, cancellationToken),
            ClusterHandshakeRole.Acceptor => AcceptAsync(transport, key, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown handshake role."),
        };
    }

    private static async Task InitiateAsync(IDuplexPipe transport, ClusterKey key, CancellationToken cancellationToken)
    {
        var initiatorNonce = RandomNumberGenerator.GetBytes(NonceLength);
        await HandshakePipe.WriteAsync(transport.Output, Hello(initiatorNonce), cancellationToken);

        var hello = new byte[HelloLength];
        await HandshakePipe.ReadExactlyAsync(transport.Input, hello, cancellationToken);
        var acceptorNonce = ParseHello(hello);
        if (CryptographicOperations.FixedTimeEquals(acceptorNonce, initiatorNonce))
        {
            throw new ClusterHandshakeException("The peer echoed our own nonce back (a reflected hello).");
        }

        await HandshakePipe.WriteAsync(transport.Output, Proof(key, InitiatorTag, initiatorNonce, acceptorNonce), cancellationToken);

        var proof = new byte[ProofLength];
        try
        {
            await HandshakePipe.ReadExactlyAsync(transport.Input, proof, cancellationToken);
        }
        catch (ClusterHandshakeException e)
        {
            throw new ClusterHandshakeException("The peer refused our proof: it holds a different cluster secret, or none.", e);
        }

        if (!CryptographicOperations.FixedTimeEquals(proof, Proof(key, AcceptorTag, initiatorNonce, acceptorNonce)))
        {
            throw new ClusterHandshakeException("The peer's proof is wrong: it does not know the cluster secret.");
        }
    }

    private static async Task AcceptAsync(IDuplexPipe transport, ClusterKey key, CancellationToken cancellationToken)
    {
        var hello = new byte[HelloLength];
        await HandshakePipe.ReadExactlyAsync(transport.Input, hello, cancellationToken);
        var initiatorNonce = ParseHello(hello);

        var acceptorNonce = RandomNumberGenerator.GetBytes(NonceLength);
        await HandshakePipe.WriteAsync(transport.Output, Hello(acceptorNonce), cancellationToken);

        var proof = new byte[ProofLength];
        await HandshakePipe.ReadExactlyAsync(transport.Input, proof, cancellationToken);
        if (!CryptographicOperations.FixedTimeEquals(proof, Proof(key, InitiatorTag, initiatorNonce, acceptorNonce)))
        {
            throw new ClusterHandshakeException("The peer's proof is wrong: it does not know the cluster secret.");
        }

        await HandshakePipe.WriteAsync(transport.Output, Proof(key, AcceptorTag, initiatorNonce, acceptorNonce), cancellationToken);
    }

    /// <summary>The initiator's proof for a session with these nonces.</summary>
    internal static byte[] InitiatorProof(ClusterKey key, byte[] initiatorNonce, byte[] acceptorNonce) =>
        Proof(key, InitiatorTag, initiatorNonce, acceptorNonce);

    /// <summary>The acceptor's proof for a session with these nonces.</summary>
    internal static byte[] AcceptorProof(ClusterKey key, byte[] initiatorNonce, byte[] acceptorNonce) =>
        Proof(key, AcceptorTag, initiatorNonce, acceptorNonce);

    internal static byte[] Hello(byte[] nonce)
    {
        var hello = new byte[HelloLength];
        Magic.CopyTo(hello);
        hello[Magic.Length] = ProtocolVersion;
        nonce.CopyTo(hello.AsSpan(Magic.Length + 1));
        return hello;
    }

    internal static byte[] ParseHello(byte[] hello)
    {
        if (!hello.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new ClusterHandshakeException("The peer did not start a Granary cluster handshake (a node without the cluster secret, or not a Granary node).");
        }

        var version = hello[Magic.Length];
        if (version != ProtocolVersion)
        {
            throw new ClusterHandshakeException($"The peer speaks cluster handshake version {version}; this node speaks version {ProtocolVersion}.");
        }

        return hello.AsSpan(Magic.Length + 1).ToArray();
    }

    private static byte[] Proof(ClusterKey key, byte roleTag, byte[] initiatorNonce, byte[] acceptorNonce)
    {
        Span<byte> data = stackalloc byte[ProofLabel.Length + 2 + 2 * NonceLength];
        ProofLabel.CopyTo(data);
        var at = ProofLabel.Length;
        data[at++] = ProtocolVersion;
        data[at++] = roleTag;
        initiatorNonce.CopyTo(data[at..]);
        acceptorNonce.CopyTo(data[(at + NonceLength)..]);
        var proof = new byte[ProofLength];
        key.Mac(data, proof);
        return proof;
    }
}
