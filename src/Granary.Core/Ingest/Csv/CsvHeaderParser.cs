using System.Text;

namespace Granary.Core.Ingest.Csv;

/// <summary>Splits and validates the header row and detects the delimiter from it.</summary>
internal static class CsvHeaderParser
{
    /// <summary>The most frequent of comma, semicolon and tab outside quotes (comma on a tie or when none occur).</summary>
    public static byte DetectDelimiter(ReadOnlySpan<byte> header)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var inQuotes = false;
        foreach (var b in header)
        {
            switch (b)
            {
                case (byte)'"':
                    inQuotes = !inQuotes;
                    break;
                case (byte)',' when !inQuotes:
                    commas++;
                    break;
                case (byte)';' when !inQuotes:
                    semicolons++;
                    break;
                case (byte)'\t' when !inQuotes:
                    tabs++;
                    break;
            }
        }

        if (semicolons > commas && semicolons >= tabs)
        {
            return (byte)';';
        }

        return tabs > commas && tabs > semicolons ? (byte)'\t' : (byte)',';
    }

    public static string[] Parse(CsvHeaderLine header, byte delimiter, int maxColumns)
    {
        var text = header.Bytes.AsSpan();
        var block = new CsvBlock(header.Bytes, header.Bytes.Length, header.Line);
        var invalid = TextPosition.FindInvalidUtf8(text);
        if (invalid >= 0)
        {
            throw block.Error(DataFormatErrors.InvalidUtf8, "The header is not valid UTF-8", invalid);
        }

        var names = new List<string>();
        var starts = new List<int>();
        var pos = 0;
        while (true)
        {
            if (names.Count == maxColumns)
            {
                throw block.Error(DataFormatErrors.TooManyColumns, $"The header has more than {maxColumns} columns", pos);
            }

            starts.Add(pos);
            string name;
            if (pos < text.Length && text[pos] == (byte)'"')
            {
                var builder = new StringBuilder();
                var p = pos + 1;
                while (true)
                {
                    var k = text[p..].IndexOf((byte)'"');
                    if (k < 0)
                    {
                        throw block.Error(DataFormatErrors.UnterminatedQuote, "A quoted column name is not closed", pos);
                    }

                    builder.Append(Encoding.UTF8.GetString(text.Slice(p, k)));
                    p += k + 1;
                    if (p < text.Length && text[p] == (byte)'"')
                    {
                        builder.Append('"');
                        p++;
                        continue;
                    }

                    break;
                }

                if (p < text.Length && text[p] != delimiter)
                {
                    throw block.Error(DataFormatErrors.InvalidQuote, "Unexpected text after a closing quote", p);
                }

                name = builder.ToString();
                pos = p;
            }
            else
            {
                var k = text[pos..].IndexOfAny(delimiter, (byte)'"');
                var end = k < 0 ? text.Length : pos + k;
                if (end < text.Length && text[end] == (byte)'"')
                {
                    throw block.Error(DataFormatErrors.InvalidQuote, "A quote inside an unquoted column name", end);
                }

                name = Encoding.UTF8.GetString(text[pos..end]);
                pos = end;
            }

            names.Add(name);
            if (pos >= text.Length)
            {
                break;
            }

            pos++; // the delimiter
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                throw block.Error(DataFormatErrors.EmptyColumnName, $"Column {i + 1} has an empty name", starts[i]);
            }

            if (!seen.Add(names[i]))
            {
                var e = block.Error(DataFormatErrors.DuplicateColumn, $"Column name '{names[i]}' appears more than once", starts[i]);
                throw new DataFormatException(e.Code, e.Message, e.Line, e.Column, names[i]);
            }
        }

        return [.. names];
    }
}
