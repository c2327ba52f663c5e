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
        routes.MapGet("/v1/evaluations/{id}/plots/{plot}", PlotAsync).WithTags("Evaluation").WithName("GetEvaluationPlot")
            .WithSummary("roc.svg, pr.svg, calibration.svg (every model), confusion.svg or residuals.svg (?model=index, default 0).")
            .Produces<string>(StatusCodes.Status200OK, "image/svg+xml");
        return routes;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PlotAsync(string id, string plot, int? model, IEvaluationStore store, CancellationToken cancellationToken)
    {
        var kind = plot.EndsWith(".svg", StringComparison.Ordinal) ? plot[..^4] : plot;
        if (!Evaluation.EvaluationPlots.Kinds.Contains(kind))
        {
            return ProblemResults.Create(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No plot '{ProblemResults.Truncate(plot)}'; plots: {string.Join(", ", Evaluation.EvaluationPlots.Kinds.Select(k => k + ".svg"))}.");
        }

        var evaluation = await store.GetEvaluationAsync(id, cancellationToken);
        if (evaluation is null)
        {
            return ProblemResults.Create(StatusCodes.Status404NotFound, "evaluation_not_found", $"Evaluation '{ProblemResults.Truncate(id)}' does not exist.");
        }

        if (model is < 0 || model >= evaluation.Models.Count)
        {
            return ProblemResults.InvalidArgument($"model must be an index between 0 and {evaluation.Models.Count - 1}.");
        }

        var (svg, error) = Evaluation.EvaluationPlots.Draw(evaluation, kind, model ?? 0);
        return svg is null
            ? ProblemResults.Create(StatusCodes.Status404NotFound, "plot_not_available", error!)
            : TypedResults.Text(svg, "image/svg+xml");
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
