namespace Granary.Cluster.Datasets;

/// <summary>
/// Coordinates the profile of one dataset version, keyed <c>{name}/{version}</c>. Being a grain makes
/// concurrent requests for the same version share one computation.
/// </summary>
public interface IDatasetProfileGrain : IGrainWithStringKey
{
    /// <summary>The profile as JSON (the <c>DatasetProfile</c> contract), from the store's cache or computed.</summary>
    [ResponseTimeout("00:30:00")]
    Task<string> GetProfileJsonAsync();
}
