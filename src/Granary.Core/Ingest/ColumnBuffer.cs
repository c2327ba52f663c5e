using System.Buffers;
using Granary.Core.Data;

namespace Granary.Core.Ingest;

/// <summary>
/// Typed values for one column of a block of rows. Pooled buffers carry parsed blocks between threads;
/// unpooled ones become the arrays of a <see cref="Frame"/>.
/// </summary>
internal sealed class ColumnBuffer
{
    private readonly bool _pooled;

    private ColumnBuffer(ColumnType type, int capacity, bool pooled)
    {
        Type = type;
        _pooled = pooled;
        switch (type)
        {
            case ColumnType.Numeric:
                Doubles = pooled ? ArrayPool<double>.Shared.Rent(capacity) : new double[capacity];
                break;
            case ColumnType.Boolean:
                Bytes = pooled ? ArrayPool<byte>.Shared.Rent(capacity) : new byte[capacity];
                break;
            case ColumnType.Timestamp:
                Longs = pooled ? ArrayPool<long>.Shared.Rent(capacity) : new long[capacity];
                break;
            default:
                Strings = pooled ? ArrayPool<string?>.Shared.Rent(capacity) : new string?[capacity];
                break;
        }

        Capacity = capacity;
    }

    public ColumnType Type { get; }

    public int Capacity { get; }

    public double[]? Doubles { get; private set; }

    public byte[]? Bytes { get; private set; }

    public long[]? Longs { get; private set; }

    public string?[]? Strings { get; private set; }

    public static ColumnBuffer Rent(ColumnType type, int capacity) => new(type, Math.Max(capacity, 1), pooled: true);

    public static ColumnBuffer Allocate(ColumnType type, int capacity) => new(type, capacity, pooled: false);

    public void CopyTo(ColumnBuffer target, int sourceIndex, int targetIndex, int count)
    {
        switch (Type)
        {
            case ColumnType.Numeric:
                Array.Copy(Doubles!, sourceIndex, target.Doubles!, targetIndex, count);
                break;
            case ColumnType.Boolean:
                Array.Copy(Bytes!, sourceIndex, target.Bytes!, targetIndex, count);
                break;
            case ColumnType.Timestamp:
                Array.Copy(Longs!, sourceIndex, target.Longs!, targetIndex, count);
                break;
            default:
                Array.Copy(Strings!, sourceIndex, target.Strings!, targetIndex, count);
                break;
        }
    }

    /// <summary>Wraps the arrays as a column; a short final chunk is copied to exact size.</summary>
    public Column ToColumn(string name, int length)
    {
        if (length != Capacity)
        {
            var exact = Allocate(Type, length);
            CopyTo(exact, 0, 0, length);
            return exact.ToColumn(name, length);
        }

        return Type switch
        {
            ColumnType.Numeric => new NumericColumn(name, Doubles!),
            ColumnType.Boolean => new BooleanColumn(name, Bytes!),
            ColumnType.Timestamp => new TimestampColumn(name, Longs!),
            _ => new StringColumn(name, Strings!),
        };
    }

    public void Return()
    {
        if (!_pooled)
        {
            return;
        }

        if (Doubles is not null)
        {
            ArrayPool<double>.Shared.Return(Doubles);
        }
        else if (Bytes is not null)
        {
            ArrayPool<byte>.Shared.Return(Bytes);
        }
        else if (Longs is not null)
        {
            ArrayPool<long>.Shared.Return(Longs);
        }
        else if (Strings is not null)
        {
            ArrayPool<string?>.Shared.Return(Strings, clearArray: true);
        }

        Doubles = null;
        Bytes = null;
        Longs = null;
        Strings = null;
    }
}
