using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Granary.Cluster.Tests.Security;

/// <summary>Real silos on real loopback sockets: members with the secret form a cluster; nothing else gets in.</summary>
public sealed class ClusterSecretSiloTests(TwoSiloCluster cluster, ITestOutputHelper output) : IClassFixture<TwoSiloCluster>
{
    [Fact]
    public async Task Members_with_the_secret_form_a_cluster_and_call_grains_across_silos()
    {
        Assert.Equal(2, cluster.Primary.ActiveCount());
        Assert.Equal(2, cluster.Secondary.ActiveCount());

        await AssertGrainCallsReachAsync(cluster.Primary, cluster.Secondary);
        await AssertGrainCallsReachAsync(cluster.Secondary, cluster.Primary);
    }

    [Fact]
    public async Task A_silo_with_a_wrong_secret_is_not_admitted()
    {
        var log = await AssertNotAdmittedAsync("a different secret, long enough to be accepted!!");
        Assert.Contains(log, m => m.Contains("Refused outbound silo connection") && m.Contains("refused our proof"));
        Assert.Contains(cluster.Primary.Logs.Messages, m => m.Contains("Refused inbound silo connection") && m.Contains("does not know the cluster secret"));
    }

    [Fact]
    public async Task A_silo_without_the_handshake_is_not_admitted()
    {
        await AssertNotAdmittedAsync(secret: null);
        Assert.Contains(cluster.Primary.Logs.Messages, m => m.Contains("Refused inbound silo connection") && m.Contains("127.0.0.1"));
    }

    [Fact]
    public async Task Raw_tcp_clients_are_disconnected_and_the_cluster_stays_healthy()
    {
        using (var garbage = new TcpClient())
        {
            await garbage.ConnectAsync(IPAddress.Loopback, cluster.Primary.Port);
            await garbage.GetStream().WriteAsync(RandomNumberGenerator.GetBytes(256));
            Assert.True(await IsDisconnectedWithinAsync(garbage, TimeSpan.FromSeconds(5)), "garbage sender still connected");
        }

        using (var silent = new TcpClient())
        {
            await silent.ConnectAsync(IPAddress.Loopback, cluster.Secondary.Port);
            var started = DateTime.UtcNow;
            Assert.True(await IsDisconnectedWithinAsync(silent, TimeSpan.FromSeconds(5)), "silent client still connected");
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.5), "silent client dropped before the handshake timeout");
        }

        Assert.Contains(cluster.Primary.Logs.Messages, m => m.Contains("did not start a Granary cluster handshake"));
        Assert.Contains(cluster.Secondary.Logs.Messages, m => m.Contains("no complete handshake within 1 s"));
        Assert.Equal(2, cluster.Primary.ActiveCount());
        Assert.Equal(2, cluster.Secondary.ActiveCount());
        await AssertGrainCallsReachAsync(cluster.Primary, cluster.Secondary);
    }

    /// <summary>Starts an intruder that points at the primary; it must never show up in the members' view, and must not start.</summary>
    private async Task<IReadOnlyList<string>> AssertNotAdmittedAsync(string? secret)
    {
        await using var intruder = TestSilo.Create(cluster.ClusterId, cluster.Primary.Port, secret, maxJoinAttemptTime: TimeSpan.FromSeconds(5));
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        var start = intruder.StartHostAsync(giveUp.Token);

        bool Seen(TestSilo member) => member.Membership.Members.Keys.Any(a => a.Endpoint.Port == intruder.Port);
        while (!start.IsCompleted)
        {
            Assert.False(Seen(cluster.Primary) || Seen(cluster.Secondary), "the intruder appears in the members' membership view");
            await Task.WhenAny(start, Task.Delay(100));
        }

        await Assert.ThrowsAnyAsync<Exception>(() => start);
        Assert.False(Seen(cluster.Primary) || Seen(cluster.Secondary), "the intruder appears in the members' membership view");
        Assert.Equal(2, cluster.Primary.ActiveCount());
        Assert.Equal(2, cluster.Secondary.ActiveCount());
        foreach (var line in intruder.Logs.Messages)
        {
            output.WriteLine($"intruder: {line}");
        }

        foreach (var line in cluster.Primary.Logs.Messages)
        {
            output.WriteLine($"primary: {line}");
        }

        return intruder.Logs.Messages;
    }

    private static async Task AssertGrainCallsReachAsync(TestSilo caller, TestSilo target)
    {
        var wanted = target.Address.ToString();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var key = Random.Shared.NextInt64();
        while (DateTime.UtcNow < deadline)
        {
            if (await caller.Grains.GetGrain<ISiloLocatorGrain>(key++).GetSiloAsync() == wanted)
            {
                return;
            }
        }

        Assert.Fail($"No grain called from {caller.Address} ran on {wanted}.");
    }

    private static async Task<bool> IsDisconnectedWithinAsync(TcpClient client, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                if (await client.GetStream().ReadAsync(buffer, timeout.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
