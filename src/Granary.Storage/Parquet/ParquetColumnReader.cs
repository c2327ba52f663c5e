using Granary.Core.Data;
using Granary.Core.Ingest;
using Parquet;
using Parquet.Schema;

namespace Granary.Storage.Parquet;

/// <summary>Reads one Parquet column of a row group into Granary's in-memory representation.</summary>
internal static class ParquetColumnReader
{
    public static ColumnBuffer Allocate(ColumnType type, int rows) => ColumnBuffer.Allocate(type, rows);

    /// <summary>The Granary type for a Parquet field, or null when it has no Granary equivalent.</summary>
    public static ColumnType? MapType(DataField field)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
        {
            return null;
        }

        var type = field.ClrType;
        if (type == typeof(double) || type == typeof(float) || type == typeof(int) || type == typeof(long)
            || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(decimal))
        {
            return ColumnType.Numeric;
        }

        if (type == typeof(bool))
        {
            return ColumnType.Boolean;
        }

        // Parquet.Net reports UTF-8 string columns as ReadOnlyMemory<char> unless told otherwise.
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            return ColumnType.String;
        }

        if (type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(DateTimeOffset))
        {
            return ColumnType.Timestamp;
        }

        return null;
    }

    public static async Task ReadAsync(
        ParquetRowGroupReader group, DataField field, ColumnBuffer target, int offset, int count, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        switch (target.Type)
        {
            case ColumnType.Numeric:
            {
                var values = target.Doubles!;
                if (type == typeof(double) && field.IsNullable)
                {
                    // The common case (every stored chunk): a plain loop, no per-value delegate.
                    var read = new double?[count];
                    await group.ReadAsync<double>(field, read.AsMemory(), null, cancellationToken);
                    for (var i = 0; i < count; i++)
                    {
                        values[offset + i] = read[i] ?? double.NaN;
                    }
                }
                else if (type == typeof(double))
                {
                    await ReadAsync<double>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(float))
                {
                    await ReadAsync<float>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(int))
                {
                    await ReadAsync<int>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(long))
                {
                    await ReadAsync<long>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(short))
                {
                    await ReadAsync<short>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(byte))
                {
                    await ReadAsync<byte>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(sbyte))
                {
                    await ReadAsync<sbyte>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(ushort))
                {
                    await ReadAsync<ushort>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(uint))
                {
                    await ReadAsync<uint>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else if (type == typeof(ulong))
                {
                    await ReadAsync<ulong>(group, field, count, (i, v) => values[offset + i] = v ?? double.NaN, cancellationToken);
                }
                else
                {
                    await ReadAsync<decimal>(group, field, count, (i, v) => values[offset + i] = v is { } d ? (double)d : double.NaN, cancellationToken);
                }

                break;
            }

            case ColumnType.Boolean:
            {
                var values = target.Bytes!;
                await ReadAsync<bool>(group, field, count, (i, v) => values[offset + i] = v is { } b ? (byte)(b ? 1 : 0) : BooleanColumn.Missing, cancellationToken);
                break;
            }

            case ColumnType.Timestamp:
            {
                var values = target.Longs!;
                if (type == typeof(DateOnly))
                {
                    await ReadAsync<DateOnly>(group, field, count, (i, v) => values[offset + i] = v is { } d ? Micros(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)) : TimestampColumn.Missing, cancellationToken);
                }
                else if (type == typeof(DateTimeOffset))
                {
                    await ReadAsync<DateTimeOffset>(group, field, count, (i, v) => values[offset + i] = v is { } d ? Micros(d.UtcDateTime) : TimestampColumn.Missing, cancellationToken);
                }
                else
                {
                    await ReadAsync<DateTime>(group, field, count, (i, v) => values[offset + i] = v is { } d ? Micros(d) : TimestampColumn.Missing, cancellationToken);
                }

                break;
            }

            default:
            {
                var values = new string?[count];
                await group.ReadAsync(field, values.AsMemory(), null, cancellationToken);
                Array.Copy(values, 0, target.Strings!, offset, count);
                break;
            }
        }
    }

    /// <summary>Unspecified kinds are taken as UTC, matching how the CSV reader treats offset-less times.</summary>
    private static long Micros(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;
    }

    private static async Task ReadAsync<T>(ParquetRowGroupReader group, DataField field, int count, Action<int, T?> store, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                store(i, values[i]);
            }
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                store(i, values[i]);
            }
        }
    }
}
