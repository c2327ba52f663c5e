using Granary.Cluster.DataPlane;

namespace Granary.Cluster.Datasets;

/// <summary>The one way callers ask for a version's profile: its grain's key, and a retry if that grain's node dies.</summary>
public static class DatasetProfiles
{
    public static string Key(string dataset, int version) => $"{dataset}/{version}";

    /// <summary>The profile as JSON (the <c>DatasetProfile</c> contract), cached or computed.</summary>
    public static Task<string> GetJsonAsync(IGrainFactory grains, string dataset, int version, CancellationToken cancellationToken = default) =>
        NodeLossRetry.CallAsync(() => grains.GetGrain<IDatasetProfileGrain>(Key(dataset, version)).GetProfileJsonAsync(), cancellationToken: cancellationToken);
}
