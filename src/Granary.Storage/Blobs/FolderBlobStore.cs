namespace Granary.Storage.Blobs;

/// <summary>
/// Blobs as files under one root folder (local disk for a single node; a shared mount for a cluster).
/// A write goes to a hidden temporary file beside its target, is fsynced, renamed into place (atomic on
/// POSIX), and the folder is fsynced: readers never see a partial file, and a crash leaves at most a
/// temporary file for the orphan sweep.
/// </summary>
public sealed class FolderBlobStore : IBlobStore
{
    private const string TemporaryMarker = ".tmp-";
    private readonly string _root;

    public FolderBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public async Task<long> WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + TemporaryMarker + Guid.NewGuid().ToString("N"));
        try
        {
            long length;
            var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 20,
                Options = FileOptions.Asynchronous,
            });
            await using (stream)
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
                length = stream.Length;
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, target, overwrite: false);
            DirectorySync.Flush(directory);
            return length;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public Stream OpenRead(string path) =>
        new FileStream(Resolve(path), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);

    public bool Exists(string path) => File.Exists(Resolve(path));

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var target = Resolve(path);
        TryDelete(target);
        RemoveEmptyParents(Path.GetDirectoryName(target));
        return Task.CompletedTask;
    }

    public IEnumerable<BlobEntry> List()
    {
        foreach (var file in Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var info = new FileInfo(file);
            var relative = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            var temporary = info.Name.StartsWith('.') && info.Name.Contains(TemporaryMarker, StringComparison.Ordinal);
            yield return new BlobEntry(relative, info.Length, info.LastWriteTimeUtc, temporary);
        }
    }

    /// <summary>Deletes a listed entry, temporary or not (the sweep uses this).</summary>
    public void DeleteEntry(BlobEntry entry)
    {
        var full = Path.GetFullPath(Path.Combine(_root, entry.Path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("Entry outside the blob root.", nameof(entry));
        }

        TryDelete(full);
        RemoveEmptyParents(Path.GetDirectoryName(full));
    }

    private string Resolve(string path)
    {
        BlobPath.Validate(path);
        return Path.Combine(_root, path.Replace('/', Path.DirectorySeparatorChar));
    }

    private void RemoveEmptyParents(string? directory)
    {
        while (directory is not null && directory.Length > _root.Length && directory.StartsWith(_root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    return;
                }

                Directory.Delete(directory);
            }
            catch (IOException)
            {
                return;
            }

            directory = Path.GetDirectoryName(directory);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Best effort: whatever stays is found by the orphan sweep.
        }
    }
}
