using System.Security.Cryptography;
using Granary.Cluster.Security;

namespace Granary.Cluster.Tests.Security;

/// <summary>The handshake protocol over in-memory pipes: real and scripted peers.</summary>
public sealed class ClusterHandshakeTests
{
    private static readonly ClusterKey Key = ClusterKey.FromSecret("correct horse battery staple, really long enough");
    private static readonly ClusterKey OtherKey = ClusterKey.FromSecret("a completely different secret of sufficient length");
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Same_secret_passes_and_leaves_later_bytes_for_the_next_reader()
    {
        var pipes = new PipePair();
        using var cancellation = new CancellationTokenSource(TestTimeout);
        await Task.WhenAll(
            ClusterHandshake.RunAsync(pipes.Initiator, Key, ClusterHandshakeRole.Initiator, cancellation.Token),
            ClusterHandshake.RunAsync(pipes.Acceptor, Key, ClusterHandshakeRole.Acceptor, cancellation.Token));

        await pipes.Initiator.WriteAsync("orleans"u8.ToArray());
        await pipes.Acceptor.WriteAsync("preamble"u8.ToArray());
        Assert.Equal("orleans"u8.ToArray(), await pipes.Acceptor.ReadAsync(7));
        Assert.Equal("preamble"u8.ToArray(), await pipes.Initiator.ReadAsync(8));
    }

    [Fact]
    public async Task Acceptor_does_not_swallow_bytes_sent_right_behind_the_proof()
    {
        var pipes = new PipePair();
        var acceptor = ClusterHandshake.RunAsync(pipes.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);

        var initiatorNonce = RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength);
        await pipes.Initiator.WriteAsync(ClusterHandshake.Hello(initiatorNonce));
        var acceptorNonce = ClusterHandshake.ParseHello(await pipes.Initiator.ReadAsync(ClusterHandshake.HelloLength));
        await pipes.Initiator.WriteAsync([.. ClusterHandshake.InitiatorProof(Key, initiatorNonce, acceptorNonce), .. "next"u8.ToArray()]);

        await acceptor.WaitAsync(TestTimeout);
        Assert.Equal(ClusterHandshake.AcceptorProof(Key, initiatorNonce, acceptorNonce), await pipes.Initiator.ReadAsync(ClusterHandshake.ProofLength));
        Assert.Equal("next"u8.ToArray(), await pipes.Acceptor.ReadAsync(4));
    }

    [Fact]
    public async Task Different_secrets_fail_on_both_sides()
    {
        var pipes = new PipePair();
        var initiator = RunAndCloseOnFailure(pipes.Initiator, Key, ClusterHandshakeRole.Initiator);
        var acceptor = RunAndCloseOnFailure(pipes.Acceptor, OtherKey, ClusterHandshakeRole.Acceptor);

        var acceptorError = await Assert.ThrowsAsync<ClusterHandshakeException>(() => acceptor.WaitAsync(TestTimeout));
        Assert.Contains("does not know the cluster secret", acceptorError.Message);
        var initiatorError = await Assert.ThrowsAsync<ClusterHandshakeException>(() => initiator.WaitAsync(TestTimeout));
        Assert.Contains("refused our proof", initiatorError.Message);
    }

    [Fact]
    public async Task Initiator_rejects_an_acceptor_with_another_secret_even_if_it_answers()
    {
        var pipes = new PipePair();
        var initiator = ClusterHandshake.RunAsync(pipes.Initiator, Key, ClusterHandshakeRole.Initiator, CancellationToken.None);

        // A peer that plays along but holds another secret: it cannot make the acceptor proof.
        var initiatorNonce = ClusterHandshake.ParseHello(await pipes.Acceptor.ReadAsync(ClusterHandshake.HelloLength));
        var acceptorNonce = RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength);
        await pipes.Acceptor.WriteAsync(ClusterHandshake.Hello(acceptorNonce));
        await pipes.Acceptor.ReadAsync(ClusterHandshake.ProofLength);
        await pipes.Acceptor.WriteAsync(ClusterHandshake.AcceptorProof(OtherKey, initiatorNonce, acceptorNonce));

        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => initiator.WaitAsync(TestTimeout));
        Assert.Contains("does not know the cluster secret", error.Message);
    }

    [Fact]
    public async Task Truncated_hello_fails()
    {
        var pipes = new PipePair();
        var acceptor = ClusterHandshake.RunAsync(pipes.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);
        await pipes.Initiator.WriteAsync(ClusterHandshake.Hello(RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength))[..20]);
        pipes.Initiator.Close();

        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => acceptor.WaitAsync(TestTimeout));
        Assert.Contains("20 of 37 bytes", error.Message);
    }

    [Fact]
    public async Task Truncated_proof_fails()
    {
        var pipes = new PipePair();
        var acceptor = ClusterHandshake.RunAsync(pipes.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);
        var initiatorNonce = RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength);
        await pipes.Initiator.WriteAsync(ClusterHandshake.Hello(initiatorNonce));
        var acceptorNonce = ClusterHandshake.ParseHello(await pipes.Initiator.ReadAsync(ClusterHandshake.HelloLength));
        await pipes.Initiator.WriteAsync(ClusterHandshake.InitiatorProof(Key, initiatorNonce, acceptorNonce)[..31]);
        pipes.Initiator.Close();

        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => acceptor.WaitAsync(TestTimeout));
        Assert.Contains("31 of 32 bytes", error.Message);
    }

    [Fact]
    public async Task Garbage_and_other_versions_are_refused_before_anything_is_revealed()
    {
        var garbage = new PipePair();
        var acceptor = ClusterHandshake.RunAsync(garbage.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);
        await garbage.Initiator.WriteAsync(RandomNumberGenerator.GetBytes(ClusterHandshake.HelloLength));
        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => acceptor.WaitAsync(TestTimeout));
        Assert.Contains("did not start a Granary cluster handshake", error.Message);

        var future = new PipePair();
        acceptor = ClusterHandshake.RunAsync(future.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);
        var hello = ClusterHandshake.Hello(RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength));
        hello[4] = 2;
        await future.Initiator.WriteAsync(hello);
        error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => acceptor.WaitAsync(TestTimeout));
        Assert.Contains("version 2", error.Message);

        // The acceptor wrote nothing to either peer.
        garbage.Acceptor.Close();
        future.Acceptor.Close();
        Assert.True((await garbage.Initiator.Input.ReadAsync()).Buffer.IsEmpty);
        Assert.True((await future.Initiator.Input.ReadAsync()).Buffer.IsEmpty);
    }

    [Fact]
    public async Task Replayed_session_fails()
    {
        // An eavesdropper records a whole successful initiator side...
        var recorded = new PipePair();
        var acceptor = ClusterHandshake.RunAsync(recorded.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);
        var hello = ClusterHandshake.Hello(RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength));
        await recorded.Initiator.WriteAsync(hello);
        var acceptorNonce = ClusterHandshake.ParseHello(await recorded.Initiator.ReadAsync(ClusterHandshake.HelloLength));
        var proof = ClusterHandshake.InitiatorProof(Key, ClusterHandshake.ParseHello(hello), acceptorNonce);
        await recorded.Initiator.WriteAsync(proof);
        await acceptor.WaitAsync(TestTimeout);

        // ...and replays it on a new connection: the acceptor's fresh nonce makes the old proof worthless.
        var replay = new PipePair();
        acceptor = ClusterHandshake.RunAsync(replay.Acceptor, Key, ClusterHandshakeRole.Acceptor, CancellationToken.None);
        await replay.Initiator.WriteAsync(hello);
        await replay.Initiator.ReadAsync(ClusterHandshake.HelloLength);
        await replay.Initiator.WriteAsync(proof);

        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => acceptor.WaitAsync(TestTimeout));
        Assert.Contains("does not know the cluster secret", error.Message);
    }

    [Fact]
    public async Task Reflected_proof_fails()
    {
        // A fake acceptor without the secret sends the initiator's own proof back as its answer.
        var pipes = new PipePair();
        var initiator = ClusterHandshake.RunAsync(pipes.Initiator, Key, ClusterHandshakeRole.Initiator, CancellationToken.None);
        await pipes.Acceptor.ReadAsync(ClusterHandshake.HelloLength);
        await pipes.Acceptor.WriteAsync(ClusterHandshake.Hello(RandomNumberGenerator.GetBytes(ClusterHandshake.NonceLength)));
        var proof = await pipes.Acceptor.ReadAsync(ClusterHandshake.ProofLength);
        await pipes.Acceptor.WriteAsync(proof);

        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => initiator.WaitAsync(TestTimeout));
        Assert.Contains("does not know the cluster secret", error.Message);
    }

    [Fact]
    public async Task Reflected_hello_fails()
    {
        var pipes = new PipePair();
        var initiator = ClusterHandshake.RunAsync(pipes.Initiator, Key, ClusterHandshakeRole.Initiator, CancellationToken.None);
        await pipes.Acceptor.WriteAsync(await pipes.Acceptor.ReadAsync(ClusterHandshake.HelloLength));

        var error = await Assert.ThrowsAsync<ClusterHandshakeException>(() => initiator.WaitAsync(TestTimeout));
        Assert.Contains("echoed our own nonce", error.Message);
    }

    [Fact]
    public async Task Silent_peer_times_out()
    {
        var pipes = new PipePair();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ClusterHandshake.RunAsync(pipes.Acceptor, Key, ClusterHandshakeRole.Acceptor, timeout.Token).WaitAsync(TestTimeout));

        // A peer that stops halfway is no different.
        var halfway = new PipePair();
        using var halfwayTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var initiator = ClusterHandshake.RunAsync(halfway.Initiator, Key, ClusterHandshakeRole.Initiator, halfwayTimeout.Token);
        await halfway.Acceptor.ReadAsync(ClusterHandshake.HelloLength);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => initiator.WaitAsync(TestTimeout));
    }

    [Fact]
    public void Short_secrets_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ClusterKey.FromSecret(new string('x', ClusterKey.MinimumSecretLength - 1)));
        Assert.NotNull(ClusterKey.FromSecret(new string('x', ClusterKey.MinimumSecretLength)));
    }

    private static async Task RunAndCloseOnFailure(PipePair.End end, ClusterKey key, ClusterHandshakeRole role)
    {
        try
        {
            await ClusterHandshake.RunAsync(end, key, role, CancellationToken.None);
        }
        catch
        {
            end.Close();
            throw;
        }
    }
}
