using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Server.Tests;

/// <summary>A real node in this process: Kestrel on a free loopback port, an Orleans silo, SQLite and a blob folder in a temp directory.</summary>
public sealed class NodeHost : IAsyncDisposable
{
    private NodeHost(WebApplication app, string dataDirectory, Uri address)
    {
        App = app;
        DataDirectory = dataDirectory;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public string BlobsDirectory => Path.Combine(DataDirectory, "blobs");

    public Uri Address { get; }

    public HttpClient Http { get; }

    public static async Task<NodeHost> StartAsync(params string[] extraArgs)
    {
        var data = Directory.CreateTempSubdirectory("granary-node-").FullName;
        string[] args = ["--data", data, "--urls", "http://127.0.0.1:0", "--Datasets:ChunkRows=700", .. extraArgs];
        var app = GranaryNode.Build(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new NodeHost(app, data, new Uri(address));
    }

    /// <summary>Files under the blob folder (temporary ones included).</summary>
    public IReadOnlyList<string> BlobFiles() =>
        Directory.Exists(BlobsDirectory)
            ? Directory.EnumerateFiles(BlobsDirectory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList()
            : [];

    public async Task<HttpResponseMessage> PostAsync(string path, string body, string contentType = "text/csv")
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Http.PostAsync(path, content);
    }

    public async Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Http.PostAsync(path, content);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
