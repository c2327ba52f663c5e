namespace Granary.Core.Data;

/// <summary>A block of rows stored column by column: the in-memory form of one dataset chunk.</summary>
public sealed class Frame
{
    public Frame(DatasetSchema schema, IReadOnlyList<Column> columns, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count != schema.Columns.Count)
        {
            throw new ArgumentException("Column count does not match the schema.", nameof(columns));
        }

        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i].Length != rowCount || columns[i].Type != schema.Columns[i].Type)
            {
                throw new ArgumentException($"Column '{columns[i].Name}' does not match the schema or row count.", nameof(columns));
            }
        }

        Schema = schema;
        Columns = columns;
        RowCount = rowCount;
    }

    public DatasetSchema Schema { get; }

    public IReadOnlyList<Column> Columns { get; }

    public int RowCount { get; }

    /// <summary>Approximate memory held by the column arrays, for cache accounting.</summary>
    public long EstimateBytes()
    {
        long total = 0;
        foreach (var column in Columns)
        {
            total += column switch
            {
                NumericColumn n => n.Values.LongLength * sizeof(double),
                BooleanColumn b => b.Values.LongLength,
                TimestampColumn t => t.Values.LongLength * sizeof(long),
                StringColumn s => EstimateStrings(s),
                _ => 0,
            };
        }

        return total;
    }

    private static long EstimateStrings(StringColumn column)
    {
        long total = column.Values.LongLength * IntPtr.Size;
        foreach (var value in column.Values.AsSpan(0, column.Length))
        {
            if (value is not null)
            {
                total += 24 + (value.Length * 2);
            }
        }

        return total;
    }
}
