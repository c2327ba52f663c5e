namespace Granary.Core.Data;

/// <summary>The ordered columns of a dataset. Column names are unique and non-empty.</summary>
public sealed class DatasetSchema : IEquatable<DatasetSchema>
{
    public DatasetSchema(IReadOnlyList<ColumnSchema> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
    }

    public IReadOnlyList<ColumnSchema> Columns { get; }

    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public bool Equals(DatasetSchema? other) =>
        other is not null && Columns.SequenceEqual(other.Columns);

    public override bool Equals(object? obj) => Equals(obj as DatasetSchema);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var column in Columns)
        {
            hash.Add(column);
        }

        return hash.ToHashCode();
    }
}
