using System.Buffers;
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
            .WithSummary("Predict rows with name, name@version or name@alias (default: the production alias, else the latest version).")
            .Accepts<PredictRequest>("application/json")
            .Produces<PredictResponse>(StatusCodes.Status200OK, "application/json");
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PredictAsync(
        string reference, HttpRequest request, ModelServing serving, Cluster.Observability.GranaryMetrics metrics, CancellationToken cancellationToken)
    {
        var (version, predictor, problem) = await serving.LoadAsync(reference, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (buffer, length) = await PredictProtocol.ReadBodyAsync(request, cancellationToken);
        try
        {
            var output = new ArrayBufferWriter<byte>(Math.Max(256, length));
            var fault = PredictProtocol.Predict(buffer.AsSpan(0, length), predictor!, version!.Name, version.Version, output, out var rows);
            if (fault is { } f)
            {
                return ProblemResults.Create(StatusCodes.Status400BadRequest, f.Code, f.Detail,
                    f.Row is null ? null : new Dictionary<string, object?> { ["field"] = f.Field, ["row"] = f.Row });
            }

            metrics.Predicted(rows);
            return TypedResults.Bytes(output.WrittenMemory.ToArray(), "application/json");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
