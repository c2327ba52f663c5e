namespace Granary.Cluster.Tests.Security;

/// <summary>Says which silo it runs on; randomly placed, so a spread of keys lands on every silo.</summary>
public interface ISiloLocatorGrain : IGrainWithIntegerKey
{
    Task<string> GetSiloAsync();
}
