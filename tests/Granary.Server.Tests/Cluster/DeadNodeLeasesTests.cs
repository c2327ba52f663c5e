using System.Net;
using Granary.Cluster.DataPlane;
using Granary.Cluster.Jobs;
using Orleans.Runtime;

namespace Granary.Server.Tests.Cluster;

/// <summary>Which dead nodes' job leases to end, and which shard-call failures mean "the node went away".</summary>
public sealed class DeadNodeLeasesTests
{
    private static ClusterMember Member(int port, int generation, SiloStatus status, string name) =>
        new(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation), status, name);

    [Fact]
    public void A_dead_node_is_released_once_unless_it_is_back_or_is_this_node()
    {
        var handled = new HashSet<SiloAddress>();
        var a = Member(1, 1, SiloStatus.Active, "node-a");
        var deadB = Member(2, 1, SiloStatus.Dead, "node-b");
        Assert.Empty(DeadNodeLeases.OwnersToRelease([a, Member(2, 1, SiloStatus.Active, "node-b")], "node-a", handled));
        Assert.Equal(["node-b"], DeadNodeLeases.OwnersToRelease([a, deadB], "node-a", handled));
        Assert.Empty(DeadNodeLeases.OwnersToRelease([a, deadB], "node-a", handled));

        // A node that died and is already running again (a new generation) keeps the jobs it took back.
        var deadC = Member(3, 1, SiloStatus.Dead, "node-c");
        Assert.Empty(DeadNodeLeases.OwnersToRelease([a, deadC, Member(3, 2, SiloStatus.Joining, "node-c")], "node-a", handled));

        // This node's own earlier incarnation: its start-up already released them.
        Assert.Empty(DeadNodeLeases.OwnersToRelease([a, Member(1, 0, SiloStatus.Dead, "node-a")], "node-a", handled));
    }

    [Fact]
    public void Node_loss_failures_are_retried_and_request_faults_are_not()
    {
        Assert.True(NodeLossRetry.IsNodeLoss(new SiloUnavailableException()));
        Assert.True(NodeLossRetry.IsNodeLoss(new TimeoutException()));
        Assert.True(NodeLossRetry.IsNodeLoss(new InvalidOperationException("wrapped", new SiloUnavailableException())));
        Assert.False(NodeLossRetry.IsNodeLoss(new ArgumentException("bad spec")));
        Assert.False(NodeLossRetry.IsNodeLoss(new InvalidDataException("corrupt chunk")));

        // Orleans cancels calls (and directory lookups) bound for a silo it has just declared dead; the caller's own cancellation is not a node loss.
        Assert.True(NodeLossRetry.IsNodeLoss(new OperationCanceledException()));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.False(NodeLossRetry.IsNodeLoss(new OperationCanceledException(cancelled.Token), cancelled.Token));
    }

    [Fact]
    public async Task A_shard_call_that_loses_its_node_is_retried_until_it_answers()
    {
        var calls = 0;
        var answer = await NodeLossRetry.CallAsync(() => ++calls < 3 ? throw new SiloUnavailableException() : Task.FromResult(42));
        Assert.Equal((42, 3), (answer, calls));
        await Assert.ThrowsAsync<ArgumentException>(() => NodeLossRetry.CallAsync<int>(() => throw new ArgumentException("bad")));

        calls = 0;
        answer = await NodeLossRetry.CallAsync(() => ++calls < 2 ? throw new OperationCanceledException() : Task.FromResult(7));
        Assert.Equal((7, 2), (answer, calls));

        using var stop = new CancellationTokenSource();
        calls = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NodeLossRetry.CallAsync<int>(
            () =>
            {
                calls++;
                stop.Cancel();
                throw new OperationCanceledException(stop.Token);
            },
            cancellationToken: stop.Token));
        Assert.Equal(1, calls);
    }
}
