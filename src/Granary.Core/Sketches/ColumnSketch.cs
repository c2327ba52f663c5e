using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>
/// A mergeable summary of one column. Build one per chunk with <see cref="Add"/>, combine chunk sketches
/// (in any grouping and order) with <see cref="Merge"/>, ship them between nodes as
/// <see cref="Serialize"/>d bytes, and read the statistics with <see cref="ToProfile"/>.
/// Exact figures do not depend on how rows were split into chunks; approximate ones stay within the
/// bounds stated on <see cref="ColumnProfile"/>. Not thread-safe: use one sketch per chunk or thread and merge.
/// </summary>
public abstract class ColumnSketch
{
    /// <summary>Most frequent values a profile reports per column: enough for one-hot encoding (training takes up to maxCategories of them).</summary>
    public const int TopValueCount = 100;

    /// <summary>Version byte leading every serialised column sketch.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Probabilities reported as quantiles, with their labels.</summary>
    internal static readonly (string Label, double Probability)[] QuantileLevels =
    [
        ("p1", 0.01), ("p5", 0.05), ("p10", 0.10), ("p25", 0.25), ("p50", 0.50),
        ("p75", 0.75), ("p90", 0.90), ("p95", 0.95), ("p99", 0.99),
    ];

    private protected ColumnSketch(string name, ColumnType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public ColumnType Type { get; }

    /// <summary>Non-missing values seen.</summary>
    public long Count { get; private protected set; }

    /// <summary>Missing values seen.</summary>
    public long Missing { get; private protected set; }

    public static ColumnSketch Create(ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return Create(column.Name, column.Type);
    }

    /// <summary>Adds every row of <paramref name="column"/>, which must have this sketch's type.</summary>
    public void Add(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.Type != Type)
        {
            throw new ArgumentException($"Column '{column.Name}' is {column.Type}, the sketch is {Type}.", nameof(column));
        }

        AddCore(column);
    }

    /// <summary>Folds <paramref name="other"/> (same name and type) into this sketch; <paramref name="other"/> is unchanged.</summary>
    public void Merge(ColumnSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Type != Type || !string.Equals(other.Name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Cannot merge sketch of '{other.Name}' ({other.Type}) into '{Name}' ({Type}).", nameof(other));
        }

        if (ReferenceEquals(other, this))
        {
            // Merging with itself would read what it writes; a copy keeps the meaning (double everything).
            other = Deserialize(other.Serialize());
        }

        Count += other.Count;
        Missing += other.Missing;
        MergeCore(other);
    }

    public abstract ColumnProfile ToProfile();

    /// <summary>Compact binary form: version, type, name, counts, then the type's sketches.</summary>
    public byte[] Serialize()
    {
        var writer = new SketchWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    public static ColumnSketch Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        var sketch = ReadFrom(ref reader);
        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after a column sketch.");
        }

        return sketch;
    }

    internal void WriteTo(SketchWriter writer)
    {
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)Type);
        writer.WriteString(Name);
        writer.WriteVarUInt64((ulong)Count);
        writer.WriteVarUInt64((ulong)Missing);
        WritePayload(writer);
    }

    internal static ColumnSketch ReadFrom(ref SketchReader reader)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported column sketch format version {version}.");
        }

        var type = (ColumnType)reader.ReadByte();
        if (!Enum.IsDefined(type))
        {
            throw new InvalidDataException($"Unknown column type {(int)type} in a column sketch.");
        }

        var sketch = Create(reader.ReadString(), type);
        sketch.Count = (long)reader.ReadVarUInt64();
        sketch.Missing = (long)reader.ReadVarUInt64();
        sketch.ReadPayload(ref reader);
        return sketch;
    }

    private protected abstract void AddCore(Column column);

    private protected abstract void MergeCore(ColumnSketch other);

    private protected abstract void WritePayload(SketchWriter writer);

    private protected abstract void ReadPayload(ref SketchReader reader);

    /// <summary>Quantile list from a KLL sketch, decoding keys with <paramref name="decode"/>.</summary>
    private protected static List<QuantileProfile> Quantiles(KllSketch kll, Func<ulong, QuantileProfile> decode)
    {
        var list = new List<QuantileProfile>(QuantileLevels.Length);
        foreach (var (label, probability) in QuantileLevels)
        {
            list.Add(decode(kll.Quantile(probability)) with { Label = label, Probability = probability });
        }

        return list;
    }

    private static ColumnSketch Create(string name, ColumnType type) => type switch
    {
        ColumnType.Numeric => new NumericColumnSketch(name),
        ColumnType.Boolean => new BooleanColumnSketch(name),
        ColumnType.String => new StringColumnSketch(name),
        ColumnType.Timestamp => new TimestampColumnSketch(name),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };
}
