namespace Granary.Storage.Blobs;

/// <summary>
/// Blob folders being written right now, by any node: an upload holds its folder while it streams, so no node's
/// orphan sweep removes its chunks, however long it takes, before its metadata is committed. Holds expire, so a
/// writer that crashed releases its folder on its own. Implemented by the SQL metadata stores.
/// </summary>
public interface IWriteHoldStore
{
    /// <summary>Creates or extends the hold of <paramref name="owner"/> on <paramref name="prefix"/> until <paramref name="until"/>.</summary>
    Task HoldWriteAsync(string prefix, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    Task ReleaseWriteAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Releases every hold of <paramref name="owner"/> (a restarted node, whose writes died with it); returns how many.</summary>
    Task<int> ReleaseWritesOfAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Folders held and not expired at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<string>> ListHeldWritesAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
