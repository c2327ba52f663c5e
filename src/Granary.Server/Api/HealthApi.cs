using Granary.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Api;

/// <summary>Liveness and readiness probes (never behind API keys).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok")))
            .WithName("Health").WithTags("Health").WithSummary("The process is up.");
        routes.MapGet("/readyz", ReadyAsync)
            .WithName("Ready").WithTags("Health").WithSummary("The node has started and its stores answer.");
        return routes;
    }

    private static async Task<Results<Ok<HealthStatus>, JsonHttpResult<HealthStatus>>> ReadyAsync(NodeReadiness readiness, CancellationToken cancellationToken)
    {
        var problem = await readiness.CheckAsync(cancellationToken);
        return problem is null
            ? TypedResults.Ok(new HealthStatus("ready"))
            : TypedResults.Json(new HealthStatus("not_ready", problem), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>A probe's answer.</summary>
public sealed record HealthStatus(string Status, string? Reason = null);
