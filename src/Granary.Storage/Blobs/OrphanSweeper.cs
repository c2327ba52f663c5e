using Granary.Storage.Metadata;

namespace Granary.Storage.Blobs;

/// <summary>
/// Deletes blobs that no committed metadata references: temporary files of interrupted writes and chunk
/// files of uploads that never committed (killed, cancelled, failed). Files younger than the grace period,
/// or under a prefix an upload on this node is still writing, are kept.
/// </summary>
public sealed class OrphanSweeper(IMetadataStore store, IBlobStore blobs, TimeProvider time)
{
    /// <summary>Returns the number of files deleted and their bytes.</summary>
    public async Task<(int Files, long Bytes)> SweepAsync(TimeSpan grace, Func<string, bool> isActive, CancellationToken cancellationToken)
    {
        // Read the references after listing the files: a file committed in between is then referenced, never deleted.
        var entries = blobs.List().ToList();
        var referenced = await store.ListReferencedBlobsAsync(cancellationToken);
        var cutoff = time.GetUtcNow() - grace;
        var files = 0;
        long bytes = 0;
        foreach (var entry in entries)
        {
            if (entry.LastWriteTime > cutoff || isActive(entry.Path) || (!entry.IsTemporary && referenced.Contains(entry.Path)))
            {
                continue;
            }

            blobs.DeleteEntry(entry);
            files++;
            bytes += entry.Length;
        }

        return (files, bytes);
    }
}
