using Microsoft.Extensions.Logging;

namespace Granary.Cluster.Placement;

/// <summary>
/// Keeps this node's shards where rendezvous hashing says they belong. After every membership change, and
/// on a slow timer to catch activations placed from a stale view, it asks each shard it holds whose owner
/// among the active silos is another silo to migrate. Orleans migrates an activation once it is idle (calls
/// already running finish), asking <see cref="ShardPlacementDirector"/> for the new silo and moving the
/// grain directory entry with it, so callers follow; the owner loads the chunk from the blob store on the
/// first call. (A plain deactivation would not do: callers that cached the old address would activate the
/// shard on the old silo again.) Shards of a silo that left need nothing: their next call places them on the
/// survivors.
/// </summary>
internal sealed class ShardRebalancer(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IClusterManifestProvider manifests,
    ShardRegistry registry,
    ILogger<ShardRebalancer> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How often held shards are checked again without a membership change.</summary>
    internal static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _sweep = new();
    private CancellationTokenSource? _stopping;
    private Task _running = Task.CompletedTask;

    public void Dispose() => _stopping?.Dispose();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ShardRebalancer), ServiceLifecycleStage.Active, Start, Stop);

    /// <summary>Asks the held shards owned elsewhere under <paramref name="snapshot"/> to migrate; returns how many.</summary>
    internal int Sweep(ClusterMembershipSnapshot snapshot, bool periodic = false)
    {
        lock (_sweep)
        {
            var self = local.SiloAddress;
            if (snapshot.GetSiloStatus(self) != SiloStatus.Active)
            {
                return 0; // Joining or leaving: placement is not ours to correct.
            }

            // Only silos placement can already choose: a joining silo shows in membership before its manifest reaches
            // this silo, and migrating toward it then would send a shard to whichever old silo the director picks instead.
            var placeable = manifests.Current.Silos;
            var live = snapshot.Members.Values
                .Where(m => m.Status == SiloStatus.Active && placeable.ContainsKey(m.SiloAddress))
                .Select(m => m.SiloAddress).ToArray();
            var moving = 0;
            foreach (var (grain, context) in registry.Entries)
            {
                if (SiloOwners.Owner(grain, live) is { } owner && !owner.Equals(self))
                {
                    context.Migrate(null, CancellationToken.None);
                    moving++;
                }
            }

            if (moving > 0)
            {
                // A periodic check repeats until the director agrees (a new silo's manifest may lag): keep it quiet.
                logger.Log(periodic ? LogLevel.Debug : LogLevel.Information, "Asked {Count} shards to migrate to their rendezvous owners (membership version {Version}).", moving, snapshot.Version);
            }

            return moving;
        }
    }

    private Task Start(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _running = Task.WhenAll(
            Task.Run(() => FollowMembershipAsync(token), CancellationToken.None),
            Task.Run(() => FollowManifestsAsync(token), CancellationToken.None),
            Task.Run(() => RecheckAsync(token), CancellationToken.None));
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _stopping = null;
    }

    private async Task FollowMembershipAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                Sweep(snapshot);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Following membership for shard rebalancing failed; the periodic check continues.");
        }
    }

    /// <summary>A joining silo becomes placeable when its manifest arrives, after its membership entry: sweep then too.</summary>
    private async Task FollowManifestsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in manifests.Updates.WithCancellation(cancellationToken))
            {
                Sweep(membership.CurrentSnapshot);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Following cluster manifests for shard rebalancing failed; the periodic check continues.");
        }
    }

    private async Task RecheckAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RecheckInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    Sweep(membership.CurrentSnapshot, periodic: true);
                }
                catch (Exception exception)
                {
                    logger.LogWarning(exception, "A shard rebalancing check failed.");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
