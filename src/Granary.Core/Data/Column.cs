namespace Granary.Core.Data;

/// <summary>
/// A column of values held in one contiguous array, so kernels can run over spans without per-row work.
/// Each concrete type documents how a missing value is represented.
/// </summary>
public abstract class Column
{
    protected Column(string name, int length)
    {
        Name = name;
        Length = length;
    }

    public string Name { get; }

    /// <summary>Number of rows in this column.</summary>
    public int Length { get; }

    public abstract ColumnType Type { get; }

    public abstract bool IsMissing(int row);

    /// <summary>The value boxed for display and JSON (null when missing). Not for hot paths.</summary>
    public abstract object? GetValue(int row);
}

/// <summary>Numbers as doubles; NaN marks a missing value.</summary>
public sealed class NumericColumn(string name, double[] values, int length) : Column(name, length)
{
    public NumericColumn(string name, double[] values) : this(name, values, values.Length) { }

    public double[] Values { get; } = values;

    public ReadOnlySpan<double> Span => Values.AsSpan(0, Length);

    public override ColumnType Type => ColumnType.Numeric;

    public override bool IsMissing(int row) => double.IsNaN(Values[row]);

    public override object? GetValue(int row) => double.IsNaN(Values[row]) ? null : Values[row];
}

/// <summary>Booleans as bytes: 0 false, 1 true, <see cref="Missing"/> missing.</summary>
public sealed class BooleanColumn(string name, byte[] values, int length) : Column(name, length)
{
    public const byte Missing = 255;

    public BooleanColumn(string name, byte[] values) : this(name, values, values.Length) { }

    public byte[] Values { get; } = values;

    public override ColumnType Type => ColumnType.Boolean;

    public override bool IsMissing(int row) => Values[row] == Missing;

    public override object? GetValue(int row) => Values[row] switch
    {
        0 => false,
        1 => true,
        _ => null,
    };
}

/// <summary>Strings; null marks a missing value.</summary>
public sealed class StringColumn(string name, string?[] values, int length) : Column(name, length)
{
    public StringColumn(string name, string?[] values) : this(name, values, values.Length) { }

    public string?[] Values { get; } = values;

    public override ColumnType Type => ColumnType.String;

    public override bool IsMissing(int row) => Values[row] is null;

    public override object? GetValue(int row) => Values[row];
}

/// <summary>UTC timestamps as microseconds since the Unix epoch; <see cref="Missing"/> marks a missing value.</summary>
public sealed class TimestampColumn(string name, long[] values, int length) : Column(name, length)
{
    public const long Missing = long.MinValue;

    public TimestampColumn(string name, long[] values) : this(name, values, values.Length) { }

    public long[] Values { get; } = values;

    public override ColumnType Type => ColumnType.Timestamp;

    public override bool IsMissing(int row) => Values[row] == Missing;

    public override object? GetValue(int row) =>
        Values[row] == Missing ? null : DateTimeOffset.UnixEpoch.AddTicks(Values[row] * 10);
}
