using System.Text;
using Granary.Core.Data;
using Granary.Core.Ingest;

namespace Granary.Core.Tests.Ingest;

internal static class ReaderTestHelpers
{
    public static async Task<List<Frame>> ReadAllAsync(ITabularReader reader, byte[] bytes, IngestOptions? options = null)
    {
        var frames = new List<Frame>();
        await foreach (var frame in reader.ReadAsync(new MemoryStream(bytes), options ?? new IngestOptions(), CancellationToken.None))
        {
            frames.Add(frame);
        }

        return frames;
    }

    public static Task<List<Frame>> ReadAllAsync(ITabularReader reader, string text, IngestOptions? options = null) =>
        ReadAllAsync(reader, Encoding.UTF8.GetBytes(text), options);

    public static async Task<DataFormatException> ErrorAsync(ITabularReader reader, byte[] bytes, IngestOptions? options = null) =>
        await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(reader, bytes, options));

    public static Task<DataFormatException> ErrorAsync(ITabularReader reader, string text, IngestOptions? options = null) =>
        ErrorAsync(reader, Encoding.UTF8.GetBytes(text), options);

    public static object?[] Column(IEnumerable<Frame> frames, string name) =>
        frames.SelectMany(f =>
        {
            var column = f.Columns[f.Schema.IndexOf(name)];
            return Enumerable.Range(0, f.RowCount).Select(column.GetValue);
        }).ToArray();
}
