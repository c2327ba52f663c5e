using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Granary.Client.Models;

namespace Granary.Client;

/// <summary>A typed client for a Granary node's datasets, jobs and models APIs (v1).</summary>
public sealed partial class GranaryClient : IDisposable
{
    // Error bodies are shown to people; a runaway HTML page from a proxy should not flood a terminal.
    private const int MaxRawBodyChars = 500;

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;

    /// <summary>Creates a client that owns its <see cref="HttpClient"/>.</summary>
    public GranaryClient(GranaryClientOptions options)
        : this(CreateHttpClient(options), options, ownsHttpClient: true)
    {
    }

    /// <summary>Uses <paramref name="httpClient"/> (e.g. from IHttpClientFactory or a test server) without owning it.</summary>
    public GranaryClient(HttpClient httpClient, GranaryClientOptions options)
        : this(httpClient, options, ownsHttpClient: false)
    {
    }

    private GranaryClient(HttpClient httpClient, GranaryClientOptions options, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        Options = options;
    }

    public GranaryClientOptions Options { get; }

    /// <summary>Uploads a file as a new version of <paramref name="name"/> (creating the dataset if needed).</summary>
    public Task<DatasetVersionInfo> UploadAsync(
        string name,
        Stream content,
        string contentType,
        UploadOptions? options = null,
        IProgress<long>? bytesSent = null,
        CancellationToken cancellationToken = default) =>
        SendBodyAsync(DatasetPath(name), content, contentType, options, bytesSent, cancellationToken);

    /// <summary>Appends rows (CSV with a header, or NDJSON) to <paramref name="name"/> as a new version.</summary>
    public Task<DatasetVersionInfo> AppendRowsAsync(
        string name,
        Stream content,
        string contentType,
        UploadOptions? options = null,
        IProgress<long>? bytesSent = null,
        CancellationToken cancellationToken = default) =>
        SendBodyAsync(DatasetPath(name) + "/rows", content, contentType, options, bytesSent, cancellationToken);

    public async Task<IReadOnlyList<DatasetSummary>> ListDatasetsAsync(CancellationToken cancellationToken = default)
    {
        var list = await GetAsync<DatasetList>("v1/datasets", cancellationToken).ConfigureAwait(false);
        return list.Datasets ?? [];
    }

    public Task<DatasetInfo> GetDatasetAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<DatasetInfo>(DatasetPath(name), cancellationToken);

    public Task<DatasetVersionInfo> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        GetAsync<DatasetVersionInfo>(
            $"{DatasetPath(name)}/versions/{version.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    /// <summary>The first <paramref name="limit"/> rows (1..1000) of a version (the latest when null).</summary>
    public Task<DatasetPreview> PreviewAsync(string name, int limit = 20, int? version = null, CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder("?limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        if (version is { } v)
        {
            query.Append("&version=").Append(v.ToString(CultureInfo.InvariantCulture));
        }

        return GetAsync<DatasetPreview>($"{DatasetPath(name)}/preview{query}", cancellationToken);
    }

    /// <summary>Per-column statistics of a version (the latest when null).</summary>
    public Task<DatasetProfile> GetProfileAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        var query = version is { } v ? "?version=" + v.ToString(CultureInfo.InvariantCulture) : string.Empty;
        return GetAsync<DatasetProfile>($"{DatasetPath(name)}/profile{query}", cancellationToken);
    }

    public Task DeleteDatasetAsync(string name, CancellationToken cancellationToken = default) =>
        DeleteAsync(DatasetPath(name), cancellationToken);

    public async Task<IReadOnlyList<ModelSummary>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        var list = await GetAsync<ModelList>("v1/models", cancellationToken).ConfigureAwait(false);
        return list.Models ?? [];
    }

    /// <summary>A model's versions, aliases and alias history.</summary>
    public Task<ModelInfo> GetModelAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<ModelInfo>(ModelPath(name), cancellationToken);

    /// <summary>One version with its parameters, metrics, lineage and artifact.</summary>
    public Task<ModelVersionInfo> GetModelVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        GetAsync<ModelVersionInfo>(ModelVersionPath(name, version), cancellationToken);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/> (creating or moving it).</summary>
    public async Task<ModelAlias> SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(HttpMethod.Put, AliasPath(name, alias));
        request.Content = JsonContent.Create(new SetAliasRequest(version), options: GranaryJson.Options);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<ModelAlias>(response, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        DeleteAsync(AliasPath(name, alias), cancellationToken);

    /// <summary>Deletes a version and its artifact; the node refuses (409 version_has_alias) while an alias points at it.</summary>
    public Task DeleteModelVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        DeleteAsync(ModelVersionPath(name, version), cancellationToken);

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    /// <summary>Builds the query string of an upload; public so callers can log exactly what is sent.</summary>
    public static string BuildUploadQuery(UploadOptions? options)
    {
        if (options is null)
        {
            return string.Empty;
        }

        var parts = new List<string>(2);
        if (options.Types is { Count: > 0 } types)
        {
            var joined = string.Join(',', types.Select(t => $"{t.Key}:{t.Value}"));
            parts.Add("types=" + Uri.EscapeDataString(joined));
        }

        if (!string.IsNullOrEmpty(options.Delimiter))
        {
            parts.Add("delimiter=" + Uri.EscapeDataString(options.Delimiter));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private async Task<DatasetVersionInfo> SendBodyAsync(
        string path,
        Stream content,
        string contentType,
        UploadOptions? options,
        IProgress<long>? bytesSent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var request = CreateRequest(HttpMethod.Post, path + BuildUploadQuery(options));
        request.Content = new ProgressStreamContent(content, contentType, bytesSent);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<DatasetVersionInfo>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Get, path);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(HttpMethod.Delete, path);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string relativePath)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseWithSlash(Options.BaseAddress), relativePath));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(Options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        }

        return request;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var value = await response.Content.ReadFromJsonAsync<T>(GranaryJson.Options, cancellationToken).ConfigureAwait(false);
        return value ?? throw new GranaryApiException(response.StatusCode, null, "The node sent an empty body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var problem = ProblemParser.TryParse(body);
        var raw = problem is null && body.Length > MaxRawBodyChars ? body[..MaxRawBodyChars] : body;
        throw new GranaryApiException(response.StatusCode, problem, problem is null ? raw : null);
    }

    private static string DatasetPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return "v1/datasets/" + Uri.EscapeDataString(name);
    }

    private static string ModelPath(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return "v1/models/" + Uri.EscapeDataString(name);
    }

    private static string ModelVersionPath(string name, int version) =>
        $"{ModelPath(name)}/versions/{version.ToString(CultureInfo.InvariantCulture)}";

    private static string AliasPath(string name, string alias)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        return $"{ModelPath(name)}/aliases/{Uri.EscapeDataString(alias)}";
    }

    private static HttpClient CreateHttpClient(GranaryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        HttpMessageHandler handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout };
        if (options.FallbackAddresses.Count > 0)
        {
            handler = new NodeFailoverHandler([options.BaseAddress, .. options.FallbackAddresses], handler);
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = options.Timeout };
    }

    // Without a trailing slash, a base like http://host/granary would lose its last segment when combined.
    private static Uri BaseWithSlash(Uri baseAddress) =>
        baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
}
