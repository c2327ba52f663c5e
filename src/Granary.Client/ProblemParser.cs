using System.Text.Json;
using Granary.Client.Models;

namespace Granary.Client;

/// <summary>Reads RFC 9457 problem bodies; tolerant because error paths must never throw a second error.</summary>
public static class ProblemParser
{
    /// <summary>Returns the problem in <paramref name="json"/>, or null when it is empty or not a JSON object.</summary>
    public static Problem? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return document.RootElement.Deserialize<Problem>(GranaryJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
