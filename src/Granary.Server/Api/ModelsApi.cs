using System.Text.Json;
using Granary.Client.Models;
using Granary.Core;
using Granary.Server.Auth;
using Granary.Server.Models;
using Granary.Server.Problems;
using Granary.Storage.Blobs;
using Granary.Storage.Metadata;
using Granary.Storage.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Api;

/// <summary>The model registry: list and show models and versions, move aliases, delete versions.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/models").WithTags("Models");
        group.MapGet("/", ListAsync).WithName("ListModels").WithSummary("List models with their aliases.");
        group.MapGet("/{name}", GetAsync).WithName("GetModel").WithSummary("Versions, aliases and alias history of a model.");
        group.MapGet("/{name}/versions/{version:int}", GetVersionAsync).WithName("GetModelVersion")
            .WithSummary("One version: parameters, features, metrics, loss curve, lineage and the model artifact.");
        group.MapPut("/{name}/aliases/{alias}", SetAliasAsync).WithName("SetModelAlias").WithSummary("Point an alias at a version (recorded in the history).");
        group.MapDelete("/{name}/aliases/{alias}", DeleteAliasAsync).WithName("DeleteModelAlias").WithSummary("Remove an alias (recorded in the history).");
        group.MapDelete("/{name}/versions/{version:int}", DeleteVersionAsync).WithName("DeleteModelVersion")
            .WithSummary("Delete a version and its artifact; refused while an alias points to it.");
        return routes;
    }

    private static async Task<Ok<ModelList>> ListAsync(IModelStore store, CancellationToken cancellationToken)
    {
        var models = await store.ListModelsAsync(cancellationToken);
        var summaries = new List<ModelSummary>(models.Count);
        foreach (var model in models)
        {
            summaries.Add(ModelMapper.ToSummary(model, await store.ListAliasesAsync(model.Name, cancellationToken)));
        }

        return TypedResults.Ok(new ModelList(summaries));
    }

    private static async Task<Results<Ok<ModelInfo>, ProblemHttpResult>> GetAsync(string name, IModelStore store, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("model", name);
        }

        var model = await store.GetModelAsync(name, cancellationToken);
        if (model is null)
        {
            return ProblemResults.ModelNotFound(name);
        }

        var versions = await store.ListModelVersionsAsync(name, cancellationToken);
        var aliases = await store.ListAliasesAsync(name, cancellationToken);
        var history = await store.ListAliasHistoryAsync(name, cancellationToken);
        return TypedResults.Ok(ModelMapper.ToInfo(model, versions, aliases, history));
    }

    private static async Task<Results<Ok<ModelVersionInfo>, ProblemHttpResult>> GetVersionAsync(
        string name, int version, IModelStore store, IBlobStore blobs, Storage.Evaluations.IEvaluationStore evaluations, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("model", name);
        }

        var record = await store.GetModelVersionAsync(name, version, cancellationToken);
        if (record is null)
        {
            return await NotFoundAsync(name, version, store, cancellationToken);
        }

        var artifact = await ReadArtifactAsync(blobs, record.ArtifactPath, cancellationToken);
        var aliases = await store.ListAliasesAsync(name, cancellationToken);
        var judged = await evaluations.ListEvaluationsOfAsync(name, version, cancellationToken);
        return TypedResults.Ok(ModelMapper.ToVersionInfo(record, artifact, aliases, judged));
    }

    private static async Task<Results<Ok<ModelAlias>, ProblemHttpResult>> SetAliasAsync(
        string name, string alias, SetAliasRequest request, HttpContext context, IModelStore store, CancellationToken cancellationToken)
    {
        if (ValidateNames(name, alias) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var record = await store.SetAliasAsync(name, alias, request.Version, RequestPrincipal.NameOf(context), cancellationToken);
            return TypedResults.Ok(ModelMapper.ToAlias(record));
        }
        catch (MetadataConflictException ex) when (ex.Code == ErrorCodes.ModelNotFound)
        {
            return ProblemResults.ModelNotFound(name);
        }
        catch (MetadataConflictException ex) when (ex.Code == ErrorCodes.VersionNotFound)
        {
            return ProblemResults.ModelVersionNotFound(name, request.Version);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAliasAsync(
        string name, string alias, HttpContext context, IModelStore store, CancellationToken cancellationToken)
    {
        if (ValidateNames(name, alias) is { } invalid)
        {
            return invalid;
        }

        if (await store.DeleteAliasAsync(name, alias, RequestPrincipal.NameOf(context), cancellationToken))
        {
            return TypedResults.NoContent();
        }

        return await store.GetModelAsync(name, cancellationToken) is null
            ? ProblemResults.ModelNotFound(name)
            : ProblemResults.AliasNotFound(name, alias);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteVersionAsync(
        string name, int version, IModelStore store, IBlobStore blobs, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("model", name);
        }

        string? artifactPath;
        try
        {
            artifactPath = await store.DeleteModelVersionAsync(name, version, cancellationToken);
        }
        catch (MetadataConflictException ex) when (ex.Code == ErrorCodes.VersionHasAlias)
        {
            var aliases = (await store.ListAliasesAsync(name, CancellationToken.None)).Where(a => a.Version == version).Select(a => a.Alias).ToList();
            return ProblemResults.Create(StatusCodes.Status409Conflict, ErrorCodes.VersionHasAlias,
                $"Version {version} of model '{name}' is the target of {string.Join(", ", aliases.Select(a => $"'{a}'"))}; move or remove those aliases first.",
                new Dictionary<string, object?> { ["aliases"] = aliases });
        }

        if (artifactPath is null)
        {
            return await NotFoundAsync(name, version, store, cancellationToken);
        }

        // The metadata commit made the version unreachable; a crash before this line leaves an orphan the sweep removes.
        await blobs.DeleteAsync(artifactPath, CancellationToken.None);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult? ValidateNames(string name, string alias)
    {
        if (!ResourceNames.IsValid(name))
        {
            return ProblemResults.InvalidName("model", name);
        }

        if (!ResourceNames.IsValid(alias))
        {
            return ProblemResults.InvalidName("alias", alias);
        }

        // name@3 must always mean version 3, so an alias may not look like a version number.
        return alias.All(char.IsAsciiDigit)
            ? ProblemResults.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidName,
                $"Invalid alias name '{alias}': an alias cannot be all digits, or 'name@{alias}' would read as a version.")
            : null;
    }

    private static async Task<ProblemHttpResult> NotFoundAsync(string name, int version, IModelStore store, CancellationToken cancellationToken) =>
        await store.GetModelAsync(name, cancellationToken) is null
            ? ProblemResults.ModelNotFound(name)
            : ProblemResults.ModelVersionNotFound(name, version);

    /// <summary>The artifact as JSON; null when the file is missing or is not a JSON document.</summary>
    private static async Task<JsonElement?> ReadArtifactAsync(IBlobStore blobs, string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = blobs.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
