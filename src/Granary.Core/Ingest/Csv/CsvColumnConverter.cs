using Granary.Core.Data;

namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Converts a tokenised block into typed column buffers (output schema order). Runs on worker threads:
/// stateless apart from the immutable layout.
/// </summary>
internal sealed class CsvColumnConverter(ColumnLayout layout, IngestOptions options)
{
    private readonly ColumnType[] _types = layout.Schema.Columns.Select(c => c.Type).ToArray();

    public ColumnBuffer[] Convert(CsvFieldTable table)
    {
        var columns = layout.Schema.Columns;
        var result = new ColumnBuffer[columns.Count];
        try
        {
            for (var c = 0; c < columns.Count; c++)
            {
                result[c] = ColumnBuffer.Rent(columns[c].Type, table.Rows);
            }

            ConvertRows(table, result);
            return result;
        }
        catch
        {
            foreach (var buffer in result)
            {
                buffer?.Return();
            }

            throw;
        }
    }

    /// <summary>
    /// Row by row, so the block's text and field table are read sequentially (column by column would
    /// stride through both once per column); each column's output is still written sequentially.
    /// </summary>
    private void ConvertRows(CsvFieldTable table, ColumnBuffer[] result)
    {
        var rows = table.Rows;
        var stride = table.Columns;
        var count = result.Length;
        var source = layout.OutputToSource;
        var types = _types;
        var text = table.Block.Buffer;
        var starts = table.Starts;
        var lengths = table.Lengths;
        var doubles = result.Select(r => r.Doubles).ToArray();
        var bytes = result.Select(r => r.Bytes).ToArray();
        var longs = result.Select(r => r.Longs).ToArray();
        var strings = result.Select(r => r.Strings).ToArray();
        var interners = new StringInterner?[count];
        byte[]? scratch = null;
        for (var r = 0; r < rows; r++)
        {
            var rowBase = r * stride;
            for (var c = 0; c < count; c++)
            {
                var i = rowBase + source[c];
                var raw = lengths[i];
                var value = (raw & CsvFieldTable.EscapedFlag) == 0
                    ? new ReadOnlySpan<byte>(text, starts[i], raw & CsvFieldTable.LengthMask)
                    : table.Value(i, ref scratch);
                switch (types[c])
                {
                    case ColumnType.Numeric:
                        if (!Utf8ValueParser.TryParseDouble(value, out doubles[c]![r]))
                        {
                            doubles[c]![r] = Utf8ValueParser.IsNumericMissing(value) ? double.NaN : throw Mismatch(table, i, value, c);
                        }

                        break;
                    case ColumnType.Boolean:
                        if (value.Length == 0)
                        {
                            bytes[c]![r] = BooleanColumn.Missing;
                        }
                        else if (!Utf8ValueParser.TryParseBoolean(value, out bytes[c]![r]))
                        {
                            throw Mismatch(table, i, value, c);
                        }

                        break;
                    case ColumnType.Timestamp:
                        if (value.Length == 0)
                        {
                            longs[c]![r] = TimestampColumn.Missing;
                        }
                        else if (!Utf8ValueParser.TryParseTimestamp(value, out longs[c]![r]))
                        {
                            throw Mismatch(table, i, value, c);
                        }

                        break;
                    default:
                        if (value.Length == 0)
                        {
                            strings[c]![r] = null;
                            break;
                        }

                        var bad = TextPosition.FindInvalidUtf8(value);
                        if (bad >= 0)
                        {
                            throw InvalidUtf8(table, i, bad, layout.Schema.Columns[c].Name);
                        }

                        strings[c]![r] = (interners[c] ??= new StringInterner()).Get(value);
                        break;
                }
            }
        }
    }

    private static DataFormatException InvalidUtf8(CsvFieldTable table, int index, int badOffset, string column)
    {
        // Offsets inside an unescaped field map one-to-one unless quotes were doubled; then point at the field.
        var offset = (table.Lengths[index] & CsvFieldTable.EscapedFlag) == 0
            ? table.Starts[index] + badOffset
            : table.ErrorOffset(index);
        return table.Block.Error(DataFormatErrors.InvalidUtf8, $"Invalid UTF-8 in column '{column}'", offset, column);
    }

    private DataFormatException Mismatch(CsvFieldTable table, int index, ReadOnlySpan<byte> text, int output)
    {
        var column = layout.Schema.Columns[output];
        var bad = TextPosition.FindInvalidUtf8(text);
        if (bad >= 0)
        {
            return InvalidUtf8(table, index, bad, column.Name);
        }

        var type = column.Type.ToString().ToLowerInvariant();
        var inferred = options.ExpectedSchema is null && !options.TypeOverrides.ContainsKey(column.Name);
        var why = inferred
            ? $"The column type was inferred from the first {options.InferenceRows} rows; override it with ?types={column.Name}:string."
            : "The type comes from the dataset schema or a type override.";
        return table.Block.Error(
            DataFormatErrors.TypeMismatch,
            $"Value '{TextPosition.Excerpt(text)}' in column '{column.Name}' is not a valid {type}. {why}",
            table.ErrorOffset(index),
            column.Name);
    }
}
