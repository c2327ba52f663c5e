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

    public static Task<NodeHost> StartAsync(params string[] extraArgs) =>
        StartInAsync(Directory.CreateTempSubdirectory("granary-node-").FullName, extraArgs);

    /// <summary>Starts a node over an existing data folder (a restart).</summary>
    public static async Task<NodeHost> StartInAsync(string data, params string[] extraArgs)
    {
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

    /// <summary>Stops the node gracefully but keeps its data folder, for a restart.</summary>
    public async Task StopKeepingDataAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async Task<JsonElement> WaitForJobAsync(string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var job = await GetJsonAsync($"/v1/jobs/{id}");
            var state = job.GetProperty("state").GetString();
            if (state is "succeeded" or "failed" or "cancelled" || DateTime.UtcNow > deadline)
            {
                return job;
            }

            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> SubmitAsync(object spec)
    {
        using var response = await Http.PostAsJsonAsync("/v1/jobs", spec);
        var body = await ReadJsonAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, body.ToString());
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        await StopKeepingDataAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
