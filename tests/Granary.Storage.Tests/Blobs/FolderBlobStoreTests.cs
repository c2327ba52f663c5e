using Granary.Storage.Blobs;

namespace Granary.Storage.Tests.Blobs;

public sealed class FolderBlobStoreTests : BlobStoreContractTests, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("granary-blobs-").FullName;

    protected override IBlobStore CreateStore() => new FolderBlobStore(Path.Combine(_root, Guid.NewGuid().ToString("N")));

    [Fact]
    public void List_LeftoverTemporaryFile_IsFlaggedTemporary()
    {
        var store = new FolderBlobStore(Path.Combine(_root, "tmp"));
        Directory.CreateDirectory(Path.Combine(store.Root, "d"));
        File.WriteAllText(Path.Combine(store.Root, "d", ".c.parquet.tmp-abc"), "partial");
        File.WriteAllText(Path.Combine(store.Root, "d", "done.parquet"), "ok");

        var entries = store.List().OrderBy(e => e.Path).ToList();

        Assert.Equal([("d/.c.parquet.tmp-abc", true), ("d/done.parquet", false)], entries.Select(e => (e.Path, e.IsTemporary)));
        store.DeleteEntry(entries[0]);
        Assert.Single(store.List());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
