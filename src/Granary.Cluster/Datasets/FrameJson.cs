using System.Globalization;
using System.Text.Json;
using Granary.Core.Data;

namespace Granary.Cluster.Datasets;

/// <summary>Rows of a frame as JSON objects keyed by column name (missing values as null, timestamps ISO 8601).</summary>
public static class FrameJson
{
    public static string RowsToJson(Frame frame, int start, int count)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var row = start; row < start + count; row++)
            {
                writer.WriteStartObject();
                foreach (var column in frame.Columns)
                {
                    writer.WritePropertyName(column.Name);
                    WriteValue(writer, column, row);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, Column column, int row)
    {
        if (column.IsMissing(row))
        {
            writer.WriteNullValue();
            return;
        }

        switch (column)
        {
            case NumericColumn numeric when double.IsFinite(numeric.Values[row]):
                writer.WriteNumberValue(numeric.Values[row]);
                break;
            case NumericColumn numeric:
                // JSON has no infinities; write them as the strings .NET and pandas understand.
                writer.WriteStringValue(numeric.Values[row].ToString(CultureInfo.InvariantCulture));
                break;
            case BooleanColumn boolean:
                writer.WriteBooleanValue(boolean.Values[row] == 1);
                break;
            case StringColumn text:
                writer.WriteStringValue(text.Values[row]);
                break;
            case TimestampColumn timestamp:
                writer.WriteStringValue(DateTimeOffset.UnixEpoch.AddTicks(timestamp.Values[row] * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
