using System.Text.Json;
using System.Text.Json.Serialization;

namespace Granary.Client;

/// <summary>
/// The serializer settings of the wire format: camelCase, case-insensitive reads, numbers as numbers.
/// JSON has no infinities, so the rare non-finite statistic (a column holding Infinity) travels as the
/// strings "Infinity", "-Infinity" or "NaN".
/// </summary>
public static class GranaryJson
{
    /// <summary>Shared so that its metadata cache is built once per process.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>For human-readable <c>--json</c> output.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
