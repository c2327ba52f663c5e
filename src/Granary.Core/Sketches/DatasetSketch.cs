using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>
/// One <see cref="ColumnSketch"/> per column of a schema, plus the row count: sketch each chunk's
/// <see cref="Frame"/> (chunks in parallel, one sketch each), merge, then <see cref="ToProfile"/>. Not thread-safe.
/// </summary>
public sealed class DatasetSketch
{
    /// <summary>Version byte leading every serialised dataset sketch.</summary>
    public const byte FormatVersion = 1;

    private readonly ColumnSketch[] _columns;

    public DatasetSketch(DatasetSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _columns = schema.Columns.Select(ColumnSketch.Create).ToArray();
    }

    private DatasetSketch(DatasetSchema schema, ColumnSketch[] columns, long rows)
    {
        Schema = schema;
        _columns = columns;
        Rows = rows;
    }

    public DatasetSchema Schema { get; }

    public long Rows { get; private set; }

    public IReadOnlyList<ColumnSketch> Columns => _columns;

    public void Add(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.Schema.Equals(Schema))
        {
            throw new ArgumentException("The frame's schema differs from the sketch's.", nameof(frame));
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Add(frame.Columns[i]);
        }

        Rows += frame.RowCount;
    }

    public void Merge(DatasetSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other.Schema.Equals(Schema))
        {
            throw new ArgumentException("Cannot merge sketches of different schemas.", nameof(other));
        }

        var rows = other.Rows;
        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Merge(other._columns[i]);
        }

        Rows += rows;
    }

    public DatasetProfileResult ToProfile() =>
        new(Rows, _columns.Select(column => column.ToProfile()).ToArray());

    public byte[] Serialize()
    {
        var writer = new SketchWriter(4096);
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt64((ulong)Rows);
        writer.WriteVarUInt64((ulong)_columns.Length);
        foreach (var column in _columns)
        {
            column.WriteTo(writer);
        }

        return writer.ToArray();
    }

    public static DatasetSketch Deserialize(ReadOnlySpan<byte> data)
    {
        var reader = new SketchReader(data);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Unsupported dataset sketch format version {version}.");
        }

        var rows = (long)reader.ReadVarUInt64();
        var count = reader.ReadCount();
        var columns = new ColumnSketch[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = ColumnSketch.ReadFrom(ref reader);
        }

        if (!reader.AtEnd)
        {
            throw new InvalidDataException("Trailing bytes after a dataset sketch.");
        }

        var schema = new DatasetSchema(columns.Select(c => new ColumnSchema(c.Name, c.Type)).ToArray());
        return new DatasetSketch(schema, columns, rows);
    }
}
