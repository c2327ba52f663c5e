using System.Buffers;
using System.Text;
using Granary.Core.Ingest;
using Granary.Core.Ingest.Csv;

namespace Granary.Core.Tests.Ingest;

public sealed class CsvTokenizerTests
{
    [Fact]
    public void Tokenize_RandomUnquotedText_FastPathMatchesGeneralPath()
    {
        var random = new Random(3);
        var alphabet = new[] { "1", "ab", ",", ",", "\n", "\r\n", "\r", " ", "é" };
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            var parts = random.Next(0, 30);
            for (var p = 0; p < parts; p++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var columns = random.Next(1, 4);
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            var fast = Run(new CsvTokenizer((byte)',', columns), bytes);
            var general = Run(new CsvTokenizer((byte)',', columns) { UseUnquotedFastPath = false }, bytes);
            Assert.True(general == fast, $"input {Escape(text.ToString())} columns {columns}: general {general} fast {fast}");
        }
    }

    private static string Run(CsvTokenizer tokenizer, byte[] bytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length, 1));
        bytes.CopyTo(buffer, 0);
        try
        {
            using var table = tokenizer.Tokenize(new CsvBlock(buffer, bytes.Length, 5));
            var result = new StringBuilder($"rows={table.Rows}:");
            for (var i = 0; i < table.Rows * table.Columns; i++)
            {
                result.Append(table.Starts[i]).Append('+').Append(table.Lengths[i]).Append(' ');
            }

            return result.ToString();
        }
        catch (DataFormatException e)
        {
            return $"{e.Code}@{e.Line}:{e.Column}";
        }
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
