namespace Granary.Cluster.Placement;

/// <summary>
/// Places a grain on the rendezvous owner of its key among the compatible live silos (see
/// <see cref="ShardPlacementDirector"/>), so chunks spread evenly and stay put while membership is stable.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
[Alias("granary.shard-placement")]
public sealed class ShardPlacement : PlacementStrategy
{
    public static ShardPlacement Instance { get; } = new();
}
