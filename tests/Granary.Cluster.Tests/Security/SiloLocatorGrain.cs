using Orleans.Placement;
using Orleans.Runtime;

namespace Granary.Cluster.Tests.Security;

[RandomPlacement]
public sealed class SiloLocatorGrain(ILocalSiloDetails silo) : Grain, ISiloLocatorGrain
{
    public Task<string> GetSiloAsync() => Task.FromResult(silo.SiloAddress.ToString());
}
