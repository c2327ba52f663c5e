using Granary.Storage.Blobs;

namespace Granary.Storage.Metadata;

/// <summary>Holds on blob folders being written. Single statements: they never wait behind metadata commits.</summary>
public abstract partial class SqlMetadataStore : IWriteHoldStore
{
    public async Task HoldWriteAsync(string prefix, string owner, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            "INSERT INTO blob_writes (prefix, owner, expires_at) VALUES (@prefix, @owner, @until) " +
            "ON CONFLICT (prefix) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at",
            cancellationToken, ("prefix", prefix), ("owner", owner), ("until", ToMicros(until)));
    }

    public async Task ReleaseWriteAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "DELETE FROM blob_writes WHERE prefix = @prefix", cancellationToken, ("prefix", prefix));
    }

    public async Task<int> ReleaseWritesOfAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM blob_writes WHERE owner = @owner", cancellationToken, ("owner", owner));
    }

    public async Task<IReadOnlyList<string>> ListHeldWritesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT prefix FROM blob_writes WHERE expires_at >= @now ORDER BY prefix", ("now", ToMicros(now)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}
