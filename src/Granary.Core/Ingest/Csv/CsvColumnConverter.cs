using Granary.Core.Data;

namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Converts a tokenised block into typed column buffers (output schema order). Runs on worker threads:
/// stateless apart from the immutable layout.
/// </summary>
internal sealed class CsvColumnConverter(ColumnLayout layout, IngestOptions options)
{
    public ColumnBuffer[] Convert(CsvFieldTable table)
    {
        var columns = layout.Schema.Columns;
        var result = new ColumnBuffer[columns.Count];
        try
        {
            for (var c = 0; c < columns.Count; c++)
            {
                result[c] = ColumnBuffer.Rent(columns[c].Type, table.Rows);
                ConvertColumn(table, layout.OutputToSource[c], columns[c], result[c]);
            }

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

    private void ConvertColumn(CsvFieldTable table, int source, ColumnSchema column, ColumnBuffer target)
    {
        var rows = table.Rows;
        var stride = table.Columns;
        byte[]? scratch = null;
        switch (column.Type)
        {
            case ColumnType.Numeric:
            {
                var values = target.Doubles!;
                for (int r = 0, i = source; r < rows; r++, i += stride)
                {
                    var text = table.Value(i, ref scratch);
                    if (!Utf8ValueParser.TryParseDouble(text, out values[r]))
                    {
                        values[r] = Utf8ValueParser.IsNumericMissing(text) ? double.NaN : throw Mismatch(table, i, text, column);
                    }
                }

                break;
            }

            case ColumnType.Boolean:
            {
                var values = target.Bytes!;
                for (int r = 0, i = source; r < rows; r++, i += stride)
                {
                    var text = table.Value(i, ref scratch);
                    if (text.Length == 0)
                    {
                        values[r] = BooleanColumn.Missing;
                    }
                    else if (!Utf8ValueParser.TryParseBoolean(text, out values[r]))
                    {
                        throw Mismatch(table, i, text, column);
                    }
                }

                break;
            }

            case ColumnType.Timestamp:
            {
                var values = target.Longs!;
                for (int r = 0, i = source; r < rows; r++, i += stride)
                {
                    var text = table.Value(i, ref scratch);
                    if (text.Length == 0)
                    {
                        values[r] = TimestampColumn.Missing;
                    }
                    else if (!Utf8ValueParser.TryParseTimestamp(text, out values[r]))
                    {
                        throw Mismatch(table, i, text, column);
                    }
                }

                break;
            }

            default:
            {
                var values = target.Strings!;
                var interner = new StringInterner();
                for (int r = 0, i = source; r < rows; r++, i += stride)
                {
                    var text = table.Value(i, ref scratch);
                    if (text.Length == 0)
                    {
                        values[r] = null;
                        continue;
                    }

                    var bad = TextPosition.FindInvalidUtf8(text);
                    if (bad >= 0)
                    {
                        throw InvalidUtf8(table, i, bad, column.Name);
                    }

                    values[r] = interner.Get(text);
                }

                break;
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

    private DataFormatException Mismatch(CsvFieldTable table, int index, ReadOnlySpan<byte> text, ColumnSchema column)
    {
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
