namespace Granary.Storage.Nodes;

/// <summary>
/// Where each node publishes what it is and how loaded it is, so any node can describe the whole cluster.
/// Implemented by the SQL metadata stores.
/// </summary>
public interface INodeStore
{
    /// <summary>Inserts or replaces this node's row.</summary>
    Task PublishNodeAsync(NodeRecord node, CancellationToken cancellationToken);

    Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken);

    /// <summary>Forgets nodes not seen since <paramref name="before"/>; returns how many.</summary>
    Task<int> ForgetNodesAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
