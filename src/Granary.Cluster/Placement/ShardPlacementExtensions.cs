using Microsoft.Extensions.DependencyInjection;

namespace Granary.Cluster.Placement;

public static class ShardPlacementExtensions
{
    /// <summary>
    /// Places grains marked <see cref="ShardPlacementAttribute"/> on their rendezvous owners, tracks the ones
    /// this silo holds (<see cref="ShardRegistry"/>) and moves them when membership changes.
    /// </summary>
    public static ISiloBuilder AddShardPlacement(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddPlacementDirector<ShardPlacement, ShardPlacementDirector>();
        silo.Services.AddSingleton<ShardRegistry>();
        silo.Services.AddSingleton<ShardRebalancer>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ShardRebalancer>());
        return silo;
    }
}
