using Granary.Core.Data;

namespace Granary.Core.Ingest;

/// <summary>
/// How input columns (in file order) map onto the output schema, which is the file order for new datasets
/// and the dataset's order for appends.
/// </summary>
internal sealed class ColumnLayout
{
    private ColumnLayout(DatasetSchema schema, int[] outputToSource)
    {
        Schema = schema;
        OutputToSource = outputToSource;
    }

    public DatasetSchema Schema { get; }

    /// <summary>For each output column, its index in the input.</summary>
    public int[] OutputToSource { get; }

    /// <summary>Throws unknown_column when an override names a column the input does not have.</summary>
    public static void ValidateOverrides(IReadOnlyList<string> names, IngestOptions options)
    {
        foreach (var name in options.TypeOverrides.Keys)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                throw new DataFormatException(
                    DataFormatErrors.UnknownColumn,
                    $"The type override names column '{name}', which the input does not have.",
                    field: name);
            }
        }
    }

    /// <summary>Layout for a new dataset: file order, types from overrides else inference.</summary>
    public static ColumnLayout FromInference(IReadOnlyList<string> names, Func<int, ColumnType> inferred, IngestOptions options)
    {
        var columns = new ColumnSchema[names.Count];
        var map = new int[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var type = options.TypeOverrides.TryGetValue(names[i], out var forced) ? forced : inferred(i);
            columns[i] = new ColumnSchema(names[i], type);
            map[i] = i;
        }

        return new ColumnLayout(new DatasetSchema(columns), map);
    }

    /// <summary>Layout for an append: the input must have exactly the schema's columns, in any order.</summary>
    public static ColumnLayout FromExpected(IReadOnlyList<string> names, DatasetSchema expected)
    {
        var missing = expected.Columns.Select(c => c.Name).Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        var extra = names.Where(n => expected.IndexOf(n) < 0).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add("missing columns: " + string.Join(", ", missing.Select(n => $"'{n}'")));
            }

            if (extra.Count > 0)
            {
                parts.Add("unexpected columns: " + string.Join(", ", extra.Select(n => $"'{n}'")));
            }

            throw new DataFormatException(
                DataFormatErrors.SchemaMismatch,
                "The input's columns do not match the dataset schema (" + string.Join("; ", parts) + ").",
                field: missing.Concat(extra).FirstOrDefault());
        }

        var map = new int[expected.Columns.Count];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = IndexOf(names, expected.Columns[i].Name);
        }

        return new ColumnLayout(expected, map);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
