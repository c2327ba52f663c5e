using System.Text;
using Granary.Storage.Blobs;

namespace Granary.Storage.Tests.Blobs;

/// <summary>The behaviour every blob backend must have.</summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore CreateStore();

    private static Func<Stream, CancellationToken, Task> Text(string text) =>
        (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    [Fact]
    public async Task WriteAsync_ThenOpenRead_ReturnsSameBytesAndLength()
    {
        var store = CreateStore();
        var length = await store.WriteAsync("datasets/a/v1/chunk-0.parquet", Text("hello"), CancellationToken.None);

        Assert.Equal(5, length);
        Assert.True(store.Exists("datasets/a/v1/chunk-0.parquet"));
        using var reader = new StreamReader(store.OpenRead("datasets/a/v1/chunk-0.parquet"));
        Assert.Equal("hello", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task WriteAsync_WriterThrows_LeavesNothingVisible()
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync("x/y.bin", async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[100], ct);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));

        Assert.False(store.Exists("x/y.bin"));
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task WriteAsync_Cancelled_LeavesNothingVisible()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync("x/c.bin", async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[10], ct);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cts.Token));

        Assert.False(store.Exists("x/c.bin"));
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task WriteAsync_ExistingPath_Refuses()
    {
        var store = CreateStore();
        await store.WriteAsync("a.bin", Text("1"), CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync("a.bin", Text("2"), CancellationToken.None));
        using var reader = new StreamReader(store.OpenRead("a.bin"));
        Assert.Equal("1", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("A/b")]
    [InlineData("a//b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task WriteAsync_InvalidPath_Throws(string path)
    {
        var store = CreateStore();
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(path, Text("x"), CancellationToken.None));
        Assert.Throws<ArgumentException>(() => store.OpenRead(path));
    }

    [Fact]
    public async Task DeleteAsync_ExistingAndMissing_RemovesWithoutError()
    {
        var store = CreateStore();
        await store.WriteAsync("d/e/f.bin", Text("x"), CancellationToken.None);
        await store.DeleteAsync("d/e/f.bin", CancellationToken.None);
        await store.DeleteAsync("d/e/f.bin", CancellationToken.None);
        Assert.False(store.Exists("d/e/f.bin"));
        Assert.Empty(store.List());
    }

    [Fact]
    public void OpenRead_Missing_ThrowsFileNotFound()
    {
        var store = CreateStore();
        Assert.ThrowsAny<IOException>(() => store.OpenRead("missing.bin"));
    }
}
