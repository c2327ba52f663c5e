using Orleans.Runtime.Placement;

namespace Granary.Cluster.Placement;

/// <summary>
/// Chooses, among the silos compatible with the grain, the rendezvous owner of the grain's key. Every silo
/// answers the same for the same membership, so a shard is placed where the rebalancer expects it.
/// </summary>
internal sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var owner = SiloOwners.Owner(target.GrainIdentity, silos)
            ?? throw new OrleansException($"No live silo can host {target.GrainIdentity}.");
        return Task.FromResult(owner);
    }
}
