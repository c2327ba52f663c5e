using System.Buffers;
using System.Text;

namespace Granary.Core.Ingest;

/// <summary>Turns a byte offset in UTF-8 text into a 1-based line and character column (error path only).</summary>
internal static class TextPosition
{
    /// <param name="text">Bytes that start at the beginning of line <paramref name="firstLine"/>.</param>
    public static (long Line, long Column) Locate(ReadOnlySpan<byte> text, long firstLine, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var before = text[..offset];
        var line = firstLine + before.Count((byte)'\n');
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (line, CountChars(before[lineStart..]) + 1);
    }

    /// <summary>Characters in UTF-8 bytes: every byte that is not a continuation byte starts one.</summary>
    public static long CountChars(ReadOnlySpan<byte> bytes)
    {
        long count = 0;
        foreach (var b in bytes)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Offset of the first byte that is not valid UTF-8, or -1.</summary>
    public static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }

        var i = 0;
        while (i < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) != OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return -1;
    }

    /// <summary>A value shortened for an error message.</summary>
    public static string Excerpt(ReadOnlySpan<byte> value, int maxChars = 40)
    {
        var text = Encoding.UTF8.GetString(value);
        return text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), "…");
    }
}
