using System.Net.Http.Json;
using System.Text.Json;

namespace Granary.Client;

/// <summary>The inference API.</summary>
public sealed partial class GranaryClient
{
    /// <summary>
    /// Predicts rows (JSON objects keyed by feature name) with <paramref name="reference"/> (name, name@version
    /// or name@alias); returns the response document: model, version, predictions.
    /// </summary>
    public async Task<JsonElement> PredictAsync(string reference, IReadOnlyList<JsonElement> rows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        using var request = CreateRequest(HttpMethod.Post, "v1/models/" + Uri.EscapeDataString(reference) + "/predict");
        request.Content = JsonContent.Create(new { rows }, options: GranaryJson.Options);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
    }
}
