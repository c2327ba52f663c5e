using System.Text.Json;
using Granary.Client;
using Granary.Core.Inference;
using Granary.Core.Linear;
using Granary.Server.Hosting;
using Granary.Server.Inference;
using Granary.Server.Problems;
using Granary.Storage.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Api;

/// <summary>
/// The Open Inference Protocol v2 (as KServe and Triton speak it). Inputs are one tensor per feature, named
/// after it, of shape [N] or [N, 1]; or, for models whose features are all numeric, one [N, F] FP64 tensor
/// with the features in the model's order. Outputs: <c>predict</c> (the value, or the class label as BYTES)
/// and, for classifiers, <c>probabilities</c> [N, K].
/// </summary>
public static class OpenInferenceApi
{
    public static IEndpointRouteBuilder MapOpenInferenceApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v2").WithTags("Open Inference Protocol v2");
        group.MapGet("/health/live", () => TypedResults.Ok(new { live = true })).WithName("V2Live");
        group.MapGet("/health/ready", ReadyAsync).WithName("V2Ready");
        group.MapGet("/models/{name}", MetadataAsync).WithName("V2ModelMetadata");
        group.MapGet("/models/{name}/ready", ModelReadyAsync).WithName("V2ModelReady");
        group.MapPost("/models/{name}/infer", (string name, HttpRequest request, ModelServing serving, CancellationToken ct) => InferAsync(name, request, serving, ct))
            .WithName("V2Infer");
        group.MapPost("/models/{name}/versions/{version}/infer", (string name, string version, HttpRequest request, ModelServing serving, CancellationToken ct) =>
            InferAsync($"{name}@{version}", request, serving, ct)).WithName("V2InferVersion");
        return routes;
    }

    private static async Task<Results<Ok<ReadyStatus>, JsonHttpResult<ReadyStatus>>> ReadyAsync(NodeReadiness readiness, CancellationToken cancellationToken) =>
        await readiness.CheckAsync(cancellationToken) is null
            ? TypedResults.Ok(new ReadyStatus(true))
            : TypedResults.Json(new ReadyStatus(false), statusCode: StatusCodes.Status503ServiceUnavailable);

    private static async Task<Results<Ok<ReadyStatus>, ProblemHttpResult>> ModelReadyAsync(string name, ModelServing serving, CancellationToken cancellationToken)
    {
        var (_, _, problem) = await serving.LoadAsync(name, cancellationToken);
        return problem ?? (Results<Ok<ReadyStatus>, ProblemHttpResult>)TypedResults.Ok(new ReadyStatus(true));
    }

    private static async Task<Results<Ok<ModelMetadata>, ProblemHttpResult>> MetadataAsync(string name, ModelServing serving, IModelStore models, CancellationToken cancellationToken)
    {
        var (version, predictor, problem) = await serving.LoadAsync(name, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var versions = await models.ListModelVersionsAsync(version!.Name, cancellationToken);
        var inputs = Enumerable.Range(0, predictor!.FeatureCount)
            .Select(i => new TensorMetadata(predictor.FeatureName(i), predictor.KindOf(i) == FeatureKind.Numeric ? "FP64" : "BYTES", [-1]))
            .ToList();
        var classifier = predictor.Classes is not null;
        List<TensorMetadata> outputs = [new("predict", classifier ? "BYTES" : "FP64", [-1])];
        if (classifier)
        {
            outputs.Add(new TensorMetadata("probabilities", "FP64", [-1, predictor.OutputCount]));
        }

        return TypedResults.Ok(new ModelMetadata(version.Name, versions.Select(v => v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            "granary.linear", inputs, outputs));
    }

    private static async Task<Results<Ok<InferResponse>, ProblemHttpResult>> InferAsync(string reference, HttpRequest request, ModelServing serving, CancellationToken cancellationToken)
    {
        InferRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<InferRequest>(request.Body, GranaryJson.Options, cancellationToken);
        }
        catch (JsonException error)
        {
            return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_json", $"The body is not a valid inference request: {error.Message}");
        }

        if (body?.Inputs is not { Count: > 0 } inputs)
        {
            return ProblemResults.InvalidArgument("The request needs at least one input tensor.");
        }

        var (version, predictor, problem) = await serving.LoadAsync(reference, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (columns, rows, invalid) = Columns(predictor!, inputs);
        if (invalid is not null)
        {
            return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_tensor", invalid);
        }

        var row = predictor!.CreateRow();
        var output = new double[predictor.OutputCount];
        var predictions = new List<object>(rows);
        var probabilities = new List<double>(rows * predictor.OutputCount);
        for (var r = 0; r < rows; r++)
        {
            row.Reset();
            foreach (var (feature, values, stride, offset) in columns)
            {
                var value = values[(r * stride) + offset];
                if (ModelServing.SetField(row, predictor.FeatureName(feature), value) is { } fault)
                {
                    return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_value", $"row {r}: {fault}",
                        new Dictionary<string, object?> { ["field"] = predictor.FeatureName(feature), ["row"] = r });
                }
            }

            predictor.Predict(row, output);
            if (predictor.Classes is { } classes)
            {
                var best = 0;
                for (var k = 1; k < output.Length; k++)
                {
                    best = output[k] > output[best] ? k : best;
                }

                predictions.Add(classes[best]);
                probabilities.AddRange(output);
            }
            else
            {
                predictions.Add(output[0]);
            }
        }

        List<InferOutput> outputs = [new("predict", [rows], predictor.Classes is null ? "FP64" : "BYTES", JsonSerializer.SerializeToElement(predictions))];
        if (predictor.Classes is not null)
        {
            outputs.Add(new InferOutput("probabilities", [rows, predictor.OutputCount], "FP64", JsonSerializer.SerializeToElement(probabilities)));
        }

        return TypedResults.Ok(new InferResponse(version!.Name, version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), body.Id, outputs));
    }

    /// <summary>Maps input tensors to features: (feature, flat values, stride, offset) per feature, and the row count.</summary>
    private static (List<(int Feature, JsonElement[] Values, int Stride, int Offset)> Columns, int Rows, string? Error) Columns(LinearPredictor predictor, IReadOnlyList<InferTensor> inputs)
    {
        var columns = new List<(int, JsonElement[], int, int)>();
        var rows = -1;
        foreach (var input in inputs)
        {
            if (input.Data.ValueKind != JsonValueKind.Array)
            {
                return (columns, 0, $"Input '{input.Name}': data must be a flat array.");
            }

            var values = input.Data.EnumerateArray().ToArray();
            var feature = predictor.FindFeature(input.Name);
            if (feature >= 0)
            {
                if (input.Shape.Count is < 1 or > 2 || (input.Shape.Count == 2 && input.Shape[1] != 1) || values.Length != input.Shape[0])
                {
                    return (columns, 0, $"Input '{input.Name}': shape must be [N] or [N, 1] with N values.");
                }

                columns.Add((feature, values, 1, 0));
            }
            else if (input.Shape.Count == 2 && input.Shape[1] == predictor.FeatureCount && values.Length == input.Shape[0] * input.Shape[1])
            {
                for (var f = 0; f < predictor.FeatureCount; f++)
                {
                    columns.Add((f, values, predictor.FeatureCount, f));
                }
            }
            else
            {
                return (columns, 0, $"Input '{input.Name}' is neither a feature of the model nor an [N, {predictor.FeatureCount}] tensor of all features.");
            }

            var n = (int)input.Shape[0];
            if (rows >= 0 && n != rows)
            {
                return (columns, 0, $"Input '{input.Name}' has {n} rows; earlier inputs had {rows}.");
            }

            rows = n;
        }

        return (columns, rows, null);
    }
}

/// <summary>An OIP readiness answer.</summary>
public sealed record ReadyStatus(bool Ready);
