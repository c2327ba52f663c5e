using Granary.Cluster.DataPlane;
using System.Text.Json;
using Granary.Client.Models;
using Granary.Cluster.Datasets;
using Granary.Core;
using Granary.Core.Data;
using Granary.Core.Ingest;
using Granary.Server.Datasets;
using Granary.Server.Hosting;
using Granary.Server.Problems;
using Granary.Storage.Blobs;
using Granary.Storage.Chunks;
using Granary.Storage.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Granary.Server.Api;

/// <summary>The datasets service: upload, append, list, show, preview, profile, delete.</summary>
public static class DatasetsApi
{
    private static readonly string[] UploadContentTypes = ["text/csv", "application/x-ndjson", "application/x-parquet"];

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/datasets").WithTags("Datasets");
        group.MapPost("/{name}", UploadAsync).WithName("UploadDataset")
            .WithSummary("Upload a CSV, NDJSON or Parquet file as a new version (creates the dataset).")
            .Accepts<Stream>(UploadContentTypes[0], UploadContentTypes[1..]);
        group.MapPost("/{name}/rows", AppendAsync).WithName("AppendRows")
            .WithSummary("Append rows (CSV or NDJSON) as a new version.")
            .Accepts<Stream>(UploadContentTypes[0], UploadContentTypes[1]);
        group.MapGet("/", ListAsync).WithName("ListDatasets").WithSummary("List datasets.");
        group.MapGet("/{name}", GetAsync).WithName("GetDataset").WithSummary("Schema and versions of a dataset.");
        group.MapGet("/{name}/versions/{version:int}", GetVersionAsync).WithName("GetDatasetVersion").WithSummary("One version and its chunks.");
        group.MapGet("/{name}/preview", PreviewAsync).WithName("PreviewDataset").WithSummary("The first rows of a version.");
        group.MapGet("/{name}/profile", ProfileAsync).WithName("ProfileDataset").WithSummary("Column profiles of a version (cached).");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteDataset").WithSummary("Delete a dataset with all its versions and files.");
        return routes;
    }

    private static Task<Results<Created<DatasetVersionInfo>, ProblemHttpResult>> UploadAsync(
        string name, HttpContext context, DatasetIngestor ingestor, IMetadataStore store, IOptions<DatasetsOptions> options, CancellationToken cancellationToken) =>
        IngestAsync(name, append: false, context, ingestor, store, options.Value, cancellationToken);

    private static Task<Results<Created<DatasetVersionInfo>, ProblemHttpResult>> AppendAsync(
        string name, HttpContext context, DatasetIngestor ingestor, IMetadataStore store, IOptions<DatasetsOptions> options, CancellationToken cancellationToken) =>
        IngestAsync(name, append: true, context, ingestor, store, options.Value, cancellationToken);

    private static async Task<Results<Created<DatasetVersionInfo>, ProblemHttpResult>> IngestAsync(
        string name, bool append, HttpContext context, DatasetIngestor ingestor, IMetadataStore store, DatasetsOptions options, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("dataset", name);
        }

        var request = context.Request;
        var format = InputFormats.FromContentType(request.ContentType);
        if (format is null || (append && format == InputFormat.Parquet))
        {
            return ProblemResults.Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not accepted here; send {(append ? "text/csv or application/x-ndjson" : "text/csv, application/x-ndjson or application/x-parquet")}.");
        }

        if (request.ContentLength > options.MaxUploadBytes)
        {
            return TooLarge(options);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxUploadBytes;
        }

        var parsed = UploadQuery.Parse(request.Query, options);
        if (parsed.Error is not null)
        {
            return ProblemResults.InvalidArgument(parsed.Error);
        }

        var version = await ingestor.IngestAsync(name, append, format.Value, request.Body, parsed.Options!, cancellationToken);
        var info = DatasetMapper.ToInfo(version, await store.ListChunksAsync(name, version.Version, CancellationToken.None));
        return TypedResults.Created($"/v1/datasets/{name}/versions/{version.Version}", info);
    }

    private static ProblemHttpResult TooLarge(DatasetsOptions options) =>
        ProblemResults.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
            $"The body is larger than the {options.MaxUploadBytes:N0} bytes this server accepts (Datasets:MaxUploadBytes).");

    private static async Task<Ok<DatasetList>> ListAsync(IMetadataStore store, CancellationToken cancellationToken)
    {
        var listings = await store.ListDatasetsAsync(cancellationToken);
        return TypedResults.Ok(new DatasetList(listings.Select(DatasetMapper.ToSummary).ToList()));
    }

    private static async Task<Results<Ok<DatasetInfo>, ProblemHttpResult>> GetAsync(string name, IMetadataStore store, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("dataset", name);
        }

        var dataset = await store.GetDatasetAsync(name, cancellationToken);
        if (dataset is null)
        {
            return ProblemResults.DatasetNotFound(name);
        }

        var versions = await store.ListVersionsAsync(name, cancellationToken);
        return TypedResults.Ok(DatasetMapper.ToInfo(dataset, versions));
    }

    private static async Task<Results<Ok<DatasetVersionInfo>, ProblemHttpResult>> GetVersionAsync(
        string name, int version, IMetadataStore store, CancellationToken cancellationToken)
    {
        var (record, problem) = await ResolveAsync(name, version, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(DatasetMapper.ToInfo(record!, await store.ListChunksAsync(name, record!.Version, cancellationToken)));
    }

    private static async Task<Results<Ok<DatasetPreview>, ProblemHttpResult>> PreviewAsync(
        string name, int? limit, int? version, IMetadataStore store, IGrainFactory grains, IOptions<DatasetsOptions> options, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPreviewRows;
        if (limit is < 1 || limit > max)
        {
            return ProblemResults.InvalidArgument($"limit must be between 1 and {max}.");
        }

        var (record, problem) = await ResolveAsync(name, version, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var wanted = limit ?? 20;
        var rows = new List<IReadOnlyDictionary<string, object?>>(wanted);
        foreach (var chunk in await store.ListChunksAsync(name, record!.Version, cancellationToken))
        {
            if (rows.Count >= wanted)
            {
                break;
            }

            var json = await NodeLossRetry.CallAsync(() => grains.GetGrain<IDatasetShardGrain>(chunk.Path).HeadAsync(wanted - rows.Count), cancellationToken: cancellationToken);
            rows.AddRange(JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(json)!
                .Select(row => (IReadOnlyDictionary<string, object?>)row.ToDictionary(p => p.Key, p => (object?)p.Value)));
        }

        return TypedResults.Ok(new DatasetPreview(name, record.Version, DatasetMapper.ToColumns(record.Schema), rows));
    }

    private static async Task<Results<Ok<DatasetProfile>, ProblemHttpResult>> ProfileAsync(
        string name, int? version, IMetadataStore store, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (record, problem) = await ResolveAsync(name, version, store, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var json = await DatasetProfiles.GetJsonAsync(grains, name, record!.Version, cancellationToken);
        return TypedResults.Ok(JsonSerializer.Deserialize<DatasetProfile>(json, Client.GranaryJson.Options)!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string name, IMetadataStore store, IBlobStore blobs, ChunkCache cache, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("dataset", name);
        }

        var paths = await store.DeleteDatasetAsync(name, cancellationToken);
        if (paths is null)
        {
            return ProblemResults.DatasetNotFound(name);
        }

        // Metadata is gone first, so nothing can reach these files any more; a crash here leaves orphans the sweep removes.
        foreach (var path in paths)
        {
            cache.Evict(path);
            await blobs.DeleteAsync(path, CancellationToken.None);
        }

        return TypedResults.NoContent();
    }

    private static async Task<(DatasetVersionRecord? Record, ProblemHttpResult? Problem)> ResolveAsync(
        string name, int? version, IMetadataStore store, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return (null, ProblemResults.InvalidName("dataset", name));
        }

        if (version is < 1)
        {
            return (null, ProblemResults.InvalidArgument("version must be 1 or more."));
        }

        var record = await store.GetVersionAsync(name, version, cancellationToken);
        if (record is not null)
        {
            return (record, null);
        }

        return version is null || await store.GetDatasetAsync(name, cancellationToken) is null
            ? (null, ProblemResults.DatasetNotFound(name))
            : (null, ProblemResults.VersionNotFound(name, version.Value));
    }
}
