namespace Granary.Cli.Datasets;

/// <summary>Parses <c>--type col:numeric</c> values (repeatable, or comma-separated) into a column-to-type map.</summary>
internal static class TypeOverrideParser
{
    public static readonly IReadOnlyList<string> KnownTypes = ["numeric", "boolean", "string", "timestamp"];

    /// <summary>Returns false with a message naming the bad value when any entry is malformed or repeats a column.</summary>
    public static bool TryParse(IEnumerable<string> values, out IReadOnlyDictionary<string, string> types, out string? error)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        types = result;
        error = null;
        foreach (var value in values)
        {
            foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // The last colon splits, so column names containing ':' (e.g. "a:b:string") still work.
                var colon = entry.LastIndexOf(':');
                if (colon <= 0 || colon == entry.Length - 1)
                {
                    error = $"'{entry}' is not COLUMN:TYPE (e.g. price:numeric)";
                    return false;
                }

                var column = entry[..colon].Trim();
                var type = entry[(colon + 1)..].Trim().ToLowerInvariant();
                if (!KnownTypes.Contains(type))
                {
                    error = $"'{type}' in '{entry}' is not a column type; use one of {string.Join(", ", KnownTypes)}";
                    return false;
                }

                if (!result.TryAdd(column, type))
                {
                    error = $"column '{column}' is given a type more than once";
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Accepts a single character, or the words "tab"/"\t" for a tab, since a literal tab is hard to type.</summary>
    public static bool TryParseDelimiter(string? value, out string? delimiter)
    {
        delimiter = value switch
        {
            null or "" => null,
            "tab" or "\\t" or "\t" => "\t",
            { Length: 1 } => value,
            _ => null,
        };
        return delimiter is not null || string.IsNullOrEmpty(value);
    }
}
