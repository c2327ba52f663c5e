using System.Text.Json;
using Granary.Storage.Nodes;

namespace Granary.Storage.Metadata;

/// <summary>The node directory: one row per node, replaced at each heartbeat.</summary>
public abstract partial class SqlMetadataStore : INodeStore
{
    private static readonly JsonSerializerOptions LoadJson = new(JsonSerializerDefaults.Web);

    public async Task PublishNodeAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        // One statement, so no write transaction: heartbeats never queue behind metadata commits.
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            "INSERT INTO nodes (id, url, silo_address, started_at, seen_at, load_json) VALUES (@id, @url, @silo, @started, @seen, @load) " +
            "ON CONFLICT (id) DO UPDATE SET url = excluded.url, silo_address = excluded.silo_address, started_at = excluded.started_at, " +
            "seen_at = excluded.seen_at, load_json = excluded.load_json",
            cancellationToken, ("id", node.Id), ("url", node.Url), ("silo", node.SiloAddress), ("started", ToMicros(node.StartedAt)),
            ("seen", ToMicros(node.SeenAt)), ("load", JsonSerializer.Serialize(node.Load, LoadJson)));
    }

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT id, url, silo_address, started_at, seen_at, load_json FROM nodes ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<NodeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new NodeRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), FromMicros(reader.GetInt64(3)),
                FromMicros(reader.GetInt64(4)), JsonSerializer.Deserialize<NodeLoad>(reader.GetString(5), LoadJson)!));
        }

        return list;
    }

    public async Task<int> ForgetNodesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM nodes WHERE seen_at < @before", cancellationToken, ("before", ToMicros(before)));
    }
}
