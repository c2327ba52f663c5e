using System.Text.Json;
using Granary.Core.Data;

namespace Granary.Storage.Metadata;

/// <summary>The stored form of a schema: a JSON array of {"name","type"} with lower-case type names.</summary>
public static class SchemaJson
{
    public static string Serialize(DatasetSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var column in schema.Columns)
            {
                writer.WriteStartObject();
                writer.WriteString("name", column.Name);
                writer.WriteString("type", TypeName(column.Type));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static DatasetSchema Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var columns = new List<ColumnSchema>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var name = element.GetProperty("name").GetString() ?? throw new InvalidDataException("Column without a name.");
            var type = ParseType(element.GetProperty("type").GetString())
                ?? throw new InvalidDataException($"Unknown column type for '{name}'.");
            columns.Add(new ColumnSchema(name, type));
        }

        return new DatasetSchema(columns);
    }

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Numeric => "numeric",
        ColumnType.Boolean => "boolean",
        ColumnType.String => "string",
        ColumnType.Timestamp => "timestamp",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a type name (as clients write it); null when unknown.</summary>
    public static ColumnType? ParseType(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "numeric" or "number" or "float" or "double" => ColumnType.Numeric,
        "boolean" or "bool" => ColumnType.Boolean,
        "string" or "categorical" or "text" => ColumnType.String,
        "timestamp" or "datetime" => ColumnType.Timestamp,
        _ => null,
    };
}
