using System.Text.Json;
using Granary.Client;
using Granary.Server.Inference;
using Granary.Server.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Api;

/// <summary>Low-latency prediction: <c>POST /v1/models/{ref}/predict</c>.</summary>
public static class InferenceApi
{
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/models/{reference}/predict", PredictAsync).WithTags("Inference").WithName("Predict")
            .WithSummary("Predict rows with name, name@version or name@alias (default: the production alias, else the latest version).");
        return routes;
    }

    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        string reference, HttpRequest request, ModelServing serving, CancellationToken cancellationToken)
    {
        PredictRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<PredictRequest>(request.Body, GranaryJson.Options, cancellationToken);
        }
        catch (JsonException error)
        {
            return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_json", $"The body is not a valid predict request: {error.Message}");
        }

        if (body?.Rows is not { Count: > 0 } rows)
        {
            return ProblemResults.InvalidArgument("The body needs {\"rows\": [{...}, ...]} with at least one row.");
        }

        var (version, predictor, problem) = await serving.LoadAsync(reference, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var row = predictor!.CreateRow();
        var output = new double[predictor.OutputCount];
        var predictions = new List<RowPrediction>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            row.Reset();
            foreach (var (name, value) in rows[i])
            {
                if (ModelServing.SetField(row, name, value) is { } error)
                {
                    return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_value", $"rows[{i}]: {error}",
                        new Dictionary<string, object?> { ["field"] = name, ["row"] = i });
                }
            }

            predictor.Predict(row, output);
            predictions.Add(ModelServing.Describe(predictor, output));
        }

        return TypedResults.Ok(new PredictResponse(version!.Name, version.Version, predictions));
    }
}
