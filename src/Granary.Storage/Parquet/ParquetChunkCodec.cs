using System.Buffers;
using System.Text.Json;
using Granary.Core.Data;
using Parquet;
using Parquet.Schema;

namespace Granary.Storage.Parquet;

/// <summary>
/// Stores one <see cref="Frame"/> as a Parquet file with a single row group. Every column is optional
/// (missing = null); the Granary column types travel in the key-value metadata so reading restores the
/// exact schema. Timestamps are INT64 microseconds adjusted to UTC, which DuckDB reads as TIMESTAMP WITH TIME ZONE.
/// </summary>
public static class ParquetChunkCodec
{
    /// <summary>Key-value metadata entry holding the Granary schema as JSON.</summary>
    public const string SchemaMetadataKey = "granary.schema";

    /// <summary>
    /// No compression. Measured on four 262,144-row x 33-double frames (random F6 features): Snappy made the
    /// files only 2.5% smaller (257.3 vs 264.0 MB; float mantissas are high-entropy) while usually taking
    /// more CPU to write (0.21-0.69 vs 0.12-0.37 CPU s over repeated, noisy runs), so chunks are uncompressed.
    /// </summary>
    internal static CompressionMethod DefaultCompression { get; set; } = CompressionMethod.None;

    /// <summary>Writes the frame; returns the bytes written.</summary>
    public static Task<long> WriteAsync(Frame frame, Stream output, CancellationToken cancellationToken) =>
        WriteAsync(frame, output, DefaultCompression, cancellationToken);

    internal static async Task<long> WriteAsync(Frame frame, Stream output, CompressionMethod compression, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(output);
        var start = output.CanSeek ? output.Position : 0;
        var counting = output.CanSeek ? output : new CountingStream(output);
        var fields = frame.Schema.Columns.Select(ToField).ToArray();
        var options = new ParquetOptions { CompressionMethod = compression };
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), counting, options, false, cancellationToken))
        {
            writer.CustomMetadata = new Dictionary<string, string>
            {
                [SchemaMetadataKey] = JsonSerializer.Serialize(frame.Schema.Columns.Select(c => new[] { c.Name, c.Type.ToString() })),
            };
            using var group = writer.CreateRowGroup();
            var definitions = ArrayPool<int>.Shared.Rent(Math.Max(frame.RowCount, 1));
            try
            {
                for (var c = 0; c < fields.Length; c++)
                {
                    await WriteColumnAsync(group, fields[c], frame.Columns[c], frame.RowCount, definitions, cancellationToken);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(definitions);
            }
        }

        return output.CanSeek ? output.Position - start : ((CountingStream)counting).Written;
    }

    /// <summary>Reads a file written by <see cref="WriteAsync(Frame, Stream, CancellationToken)"/> back into the same frame.</summary>
    public static async Task<Frame> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var reader = await ParquetReader.CreateAsync(input, null, false, cancellationToken);
        if (!reader.CustomMetadata.TryGetValue(SchemaMetadataKey, out var json))
        {
            throw new InvalidDataException("The Parquet file has no Granary schema metadata.");
        }

        var pairs = JsonSerializer.Deserialize<string[][]>(json) ?? [];
        var schema = new DatasetSchema(pairs.Select(p => new ColumnSchema(p[0], Enum.Parse<ColumnType>(p[1]))).ToArray());
        var fields = reader.Schema.GetDataFields();
        var rows = reader.RowGroupCount == 0 ? 0 : checked((int)reader.RowGroups.Sum(g => g.RowCount));
        var buffers = schema.Columns.Select(c => ParquetColumnReader.Allocate(c.Type, rows)).ToArray();
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            for (var c = 0; c < fields.Length; c++)
            {
                await ParquetColumnReader.ReadAsync(group, fields[c], buffers[c], offset, count, cancellationToken);
            }

            offset += count;
        }

        var columns = schema.Columns.Select((c, i) => buffers[i].ToColumn(c.Name, rows)).ToArray();
        return new Frame(schema, columns, rows);
    }

    private static DataField ToField(ColumnSchema column) => column.Type switch
    {
        ColumnType.Numeric => new DataField<double?>(column.Name, true),
        ColumnType.Boolean => new DataField<bool?>(column.Name, true),
        ColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, true),
        _ => new DataField<string>(column.Name, true),
    };

    private static async Task WriteColumnAsync(
        ParquetRowGroupWriter group, DataField field, Column column, int rows, int[] definitions, CancellationToken cancellationToken)
    {
        switch (column)
        {
            case NumericColumn numeric:
            {
                // Present values go out densely with definition levels, so a column without gaps is written
                // straight from the frame's array (no copy, no double? boxing).
                var values = numeric.Values;
                var present = 0;
                for (var r = 0; r < rows; r++)
                {
                    var has = !double.IsNaN(values[r]);
                    definitions[r] = has ? 1 : 0;
                    present += has ? 1 : 0;
                }

                if (present == rows)
                {
                    await group.WriteAllPartsAsync<double>(field, values.AsMemory(0, rows), definitions.AsMemory(0, rows), null, cancellationToken);
                    break;
                }

                var dense = ArrayPool<double>.Shared.Rent(Math.Max(present, 1));
                try
                {
                    var k = 0;
                    for (var r = 0; r < rows; r++)
                    {
                        if (definitions[r] == 1)
                        {
                            dense[k++] = values[r];
                        }
                    }

                    await group.WriteAllPartsAsync<double>(field, dense.AsMemory(0, present), definitions.AsMemory(0, rows), null, cancellationToken);
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(dense);
                }

                break;
            }

            case BooleanColumn boolean:
            {
                var values = new bool?[rows];
                for (var r = 0; r < rows; r++)
                {
                    values[r] = boolean.Values[r] == BooleanColumn.Missing ? null : boolean.Values[r] == 1;
                }

                await group.WriteAsync<bool>(field, values.AsMemory(), null, null, cancellationToken);
                break;
            }

            case TimestampColumn timestamp:
            {
                var values = new DateTime?[rows];
                for (var r = 0; r < rows; r++)
                {
                    var v = timestamp.Values[r];
                    values[r] = v == TimestampColumn.Missing ? null : new DateTime(DateTime.UnixEpoch.Ticks + (v * 10), DateTimeKind.Utc);
                }

                await group.WriteAsync<DateTime>(field, values.AsMemory(), null, null, cancellationToken);
                break;
            }

            case StringColumn text:
                await group.WriteAsync(field, new ArraySegment<string>(text.Values!, 0, rows));
                break;

            default:
                throw new NotSupportedException($"Column type {column.GetType().Name} cannot be stored.");
        }
    }
}
