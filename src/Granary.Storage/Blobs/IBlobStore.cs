namespace Granary.Storage.Blobs;

/// <summary>
/// Immutable files (dataset chunks, model artifacts) addressed by relative paths of
/// <c>[a-z0-9._-]</c> segments. A write is durable when it returns: content fsynced, then published
/// under its final name atomically. Backends: a local or shared folder.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes a blob through <paramref name="write"/> and publishes it; returns its size in bytes.</summary>
    Task<long> WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading; <see cref="FileNotFoundException"/> when absent.</summary>
    Stream OpenRead(string path);

    bool Exists(string path);

    /// <summary>Deletes a blob; absent blobs are ignored.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Deletes a listed entry, temporary or not (the orphan sweep uses this).</summary>
    void DeleteEntry(BlobEntry entry);

    /// <summary>Every blob, with its last write time, including unpublished temporary files (flagged).</summary>
    IEnumerable<BlobEntry> List();
}

/// <summary>A stored file. <see cref="IsTemporary"/> marks a write that never finished publishing.</summary>
public sealed record BlobEntry(string Path, long Length, DateTimeOffset LastWriteTime, bool IsTemporary);
