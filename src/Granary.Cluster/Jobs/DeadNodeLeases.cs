using Granary.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Granary.Cluster.Jobs;

/// <summary>
/// Ends the job leases of nodes that membership declares dead, so survivors resume their jobs within
/// seconds rather than after the lease runs out. Silos are named after their runner identity, which is
/// the lease owner. A dead entry whose name is live again (the node restarted) is left alone: the
/// restarted node already took its jobs back.
/// </summary>
public sealed partial class DeadNodeLeases(
    IClusterMembershipService membership,
    IJobStore store,
    JobRunnerIdentity identity,
    JobSignal signal,
    ILogger<DeadNodeLeases> logger) : BackgroundService
{
    public static IReadOnlyList<string> OwnersToRelease(IEnumerable<ClusterMember> members, string self, ISet<SiloAddress> handled)
    {
        var list = members.ToList();
        var live = list.Where(m => m.Status != SiloStatus.Dead).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var owners = new List<string>();
        foreach (var member in list.Where(m => m.Status == SiloStatus.Dead && !handled.Contains(m.SiloAddress)))
        {
            handled.Add(member.SiloAddress);
            if (member.Name != self && !live.Contains(member.Name) && !owners.Contains(member.Name))
            {
                owners.Add(member.Name);
            }
        }

        return owners;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Dead entries already in the table at start belong to earlier incarnations; their leases expire on their own.
        var handled = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var owner in OwnersToRelease(snapshot.Members.Values, identity.Owner, handled))
                {
                    try
                    {
                        var released = await store.ReleaseLeasesAsync(owner, stoppingToken);
                        LogReleased(logger, owner, released);
                        if (released > 0)
                        {
                            signal.Notify();
                        }
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        // The lease then expires on its own; nothing is lost, only time.
                        LogReleaseFailed(logger, error, owner);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Owner} was declared dead; released {Count} job lease(s) so survivors resume them")]
    private static partial void LogReleased(ILogger logger, string owner, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the job leases of dead node {Owner}")]
    private static partial void LogReleaseFailed(ILogger logger, Exception error, string owner);
}
