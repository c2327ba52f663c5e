using Orleans.Placement;

namespace Granary.Cluster.Placement;

/// <summary>Marks a grain class for <see cref="ShardPlacement"/>; its silo must call <c>AddShardPlacement()</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute() : PlacementAttribute(ShardPlacement.Instance);
