using System.Text.Json;

namespace Granary.Client;

/// <summary>The serializer settings of the wire format: camelCase, case-insensitive reads, numbers as numbers.</summary>
public static class GranaryJson
{
    /// <summary>Shared so that its metadata cache is built once per process.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>For human-readable <c>--json</c> output.</summary>
    public static JsonSerializerOptions Indented { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
