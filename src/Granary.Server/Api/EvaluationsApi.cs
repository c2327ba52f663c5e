using System.Text.Json;
using Granary.Client.Models;
using Granary.Server.Problems;
using Granary.Storage.Evaluations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Api;

/// <summary>Stored evaluations: <c>GET /v1/evaluations/{id}</c>.</summary>
public static class EvaluationsApi
{
    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/evaluations/{id}", GetAsync).WithTags("Evaluation").WithName("GetEvaluation")
            .WithSummary("An evaluation: each model version's exact metrics on one dataset version.");
        return routes;
    }

    private static async Task<Results<Ok<EvaluationInfo>, ProblemHttpResult>> GetAsync(string id, IEvaluationStore store, CancellationToken cancellationToken)
    {
        var evaluation = await store.GetEvaluationAsync(id, cancellationToken);
        if (evaluation is null)
        {
            return ProblemResults.Create(StatusCodes.Status404NotFound, "evaluation_not_found", $"Evaluation '{ProblemResults.Truncate(id)}' does not exist.");
        }

        var models = evaluation.Models.Select(m => new EvaluatedModelInfo(m.Model, m.Version, JsonDocument.Parse(m.ReportJson).RootElement.Clone())).ToList();
        return TypedResults.Ok(new EvaluationInfo(evaluation.Id, evaluation.JobId, evaluation.Dataset, models, evaluation.CreatedAt));
    }
}
