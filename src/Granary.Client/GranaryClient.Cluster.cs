using Granary.Client.Models;

namespace Granary.Client;

public sealed partial class GranaryClient
{
    /// <summary>The nodes of the cluster this node belongs to, with their state and load.</summary>
    public Task<ClusterInfo> GetClusterAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ClusterInfo>("v1/cluster", cancellationToken);
}
