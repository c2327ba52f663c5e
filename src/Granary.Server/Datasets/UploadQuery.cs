using Granary.Core.Data;
using Granary.Core.Ingest;
using Granary.Server.Hosting;
using Granary.Storage.Metadata;

namespace Granary.Server.Datasets;

/// <summary>Reads the query of an upload (<c>types</c>, <c>delimiter</c>) into ingest options, or an error.</summary>
public static class UploadQuery
{
    public static (IngestOptions? Options, string? Error) Parse(IQueryCollection query, DatasetsOptions defaults)
    {
        var overrides = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var value in query["types"])
        {
            foreach (var pair in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = pair.LastIndexOf(':');
                var type = colon > 0 ? SchemaJson.ParseType(pair[(colon + 1)..]) : null;
                if (type is null)
                {
                    return (null, $"types: '{pair}' is not 'column:type' with type numeric, boolean, string or timestamp.");
                }

                overrides[pair[..colon]] = type.Value;
            }
        }

        char? delimiter = null;
        if (query.TryGetValue("delimiter", out var delimiterValues))
        {
            var text = delimiterValues.ToString();
            delimiter = text switch
            {
                "," or "comma" => ',',
                ";" or "semicolon" => ';',
                "\t" or "tab" or "\\t" => '\t',
                "|" or "pipe" => '|',
                _ => null,
            };
            if (delimiter is null)
            {
                return (null, "delimiter must be one of , ; tab |.");
            }
        }

        return (new IngestOptions
        {
            ChunkRows = defaults.ChunkRows,
            InferenceRows = defaults.InferenceRows,
            MaxColumns = defaults.MaxColumns,
            TypeOverrides = overrides,
            Delimiter = delimiter,
        }, null);
    }
}
