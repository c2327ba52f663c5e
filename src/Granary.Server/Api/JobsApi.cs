using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Granary.Client;
using Granary.Client.Models;
using Granary.Cluster.Evaluation;
using Granary.Cluster.Jobs;
using Granary.Cluster.Training;
using Granary.Server.Jobs;
using Granary.Server.Problems;
using Granary.Storage.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Api;

/// <summary>Durable jobs: submit, list, show, follow (server-sent events), cancel.</summary>
public static class JobsApi
{
    private static readonly TimeSpan EventPollInterval = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/jobs").WithTags("Jobs");
        group.MapPost("/", SubmitAsync).WithName("SubmitJob")
            .WithSummary("Submit a job ({\"type\":\"train\"|\"evaluate\"|\"predict\", ...}); answers 202 with its id.")
            .Accepts<TrainJobSpec>("application/json");
        group.MapGet("/", ListAsync).WithName("ListJobs").WithSummary("Jobs, newest first (?state=&limit=).");
        group.MapGet("/{id}", GetAsync).WithName("GetJob").WithSummary("A job's state, progress, error and result.");
        group.MapGet("/{id}/events", EventsAsync).WithName("JobEvents").WithSummary("Server-sent events: the job each time it changes, until it ends.");
        group.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob").WithSummary("Cancel a queued or running job.");
        return routes;
    }

    private static async Task<Results<Accepted<JobInfo>, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, IJobStore store, TrainSpecValidator validator, EvaluateSpecValidator evaluations, PredictSpecValidator scoring, JobSignal signal, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, GranaryJson.Options, cancellationToken);
        }
        catch (JsonException error)
        {
            return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_json", $"The body is not valid JSON: {error.Message}");
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return ProblemResults.InvalidArgument("The body must be a JSON object with a string 'type' (e.g. \"train\").");
        }

        var type = typeElement.GetString()!;
        string specJson;
        int priority;
        try
        {
            switch (type)
            {
                case "train":
                    var train = body.Deserialize<TrainJobSpec>(GranaryJson.Options);
                    if (train?.Dataset is null || train.Label is null || train.Algorithm is null || train.Model is null)
                    {
                        return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_spec", "A training job needs dataset, label, algorithm and model.");
                    }

                    train = await validator.ValidateAsync(train, cancellationToken);
                    (specJson, priority) = (JsonSerializer.Serialize(train, GranaryJson.Options), train.Priority);
                    break;
                case "evaluate":
                    var evaluate = body.Deserialize<EvaluateJobSpec>(GranaryJson.Options);
                    if (evaluate?.Dataset is null || evaluate.Models is null)
                    {
                        return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_spec", "An evaluation needs dataset and models.");
                    }

                    evaluate = await evaluations.ValidateAsync(evaluate, cancellationToken);
                    (specJson, priority) = (JsonSerializer.Serialize(evaluate, GranaryJson.Options), evaluate.Priority);
                    break;
                case "predict":
                    var score = body.Deserialize<PredictJobSpec>(GranaryJson.Options);
                    if (score?.Dataset is null || score.Model is null || score.Output is null)
                    {
                        return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_spec", "A scoring job needs model, dataset and output.");
                    }

                    score = await scoring.ValidateAsync(score, cancellationToken);
                    (specJson, priority) = (JsonSerializer.Serialize(score, GranaryJson.Options), score.Priority);
                    break;
                default:
                    return ProblemResults.Create(StatusCodes.Status400BadRequest, "unknown_job_type", $"Unknown job type '{type}'; known: train, evaluate, predict.");
            }
        }
        catch (JsonException error)
        {
            return ProblemResults.Create(StatusCodes.Status400BadRequest, "invalid_spec", $"The {type} spec does not fit: {error.Message}");
        }
        catch (JobFailedException error)
        {
            var status = error.Code is "dataset_not_found" or "model_not_found" or "version_not_found" or "alias_not_found"
                ? StatusCodes.Status404NotFound
                : StatusCodes.Status400BadRequest;
            return ProblemResults.Create(status, error.Code, error.Message);
        }

        var id = "job-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var job = await store.CreateJobAsync(id, type, priority, specJson, cancellationToken);
        signal.Notify();
        return TypedResults.Accepted($"/v1/jobs/{id}", JobMapper.ToInfo(job));
    }

    private static async Task<Results<Ok<JobList>, ProblemHttpResult>> ListAsync(string? state, int? limit, IJobStore store, CancellationToken cancellationToken)
    {
        JobState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<JobState>(state, ignoreCase: true, out var parsed))
            {
                return ProblemResults.InvalidArgument("state must be queued, running, succeeded, failed or cancelled.");
            }

            filter = parsed;
        }

        if (limit is < 1 or > 1000)
        {
            return ProblemResults.InvalidArgument("limit must be between 1 and 1000.");
        }

        var jobs = await store.ListJobsAsync(filter, limit ?? 100, cancellationToken);
        return TypedResults.Ok(new JobList(jobs.Select(JobMapper.ToInfo).ToList()));
    }

    private static async Task<Results<Ok<JobInfo>, ProblemHttpResult>> GetAsync(string id, IJobStore store, CancellationToken cancellationToken) =>
        await store.GetJobAsync(id, cancellationToken) is { } job ? TypedResults.Ok(JobMapper.ToInfo(job)) : NotFound(id);

    private static async Task<Results<ServerSentEventsResult<JobInfo>, ProblemHttpResult>> EventsAsync(
        string id, IJobStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetJobAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        return TypedResults.ServerSentEvents(Follow(id, store, time, cancellationToken));
    }

    /// <summary>Polls the store, so the stream works whichever node runs the job.</summary>
    private static async IAsyncEnumerable<SseItem<JobInfo>> Follow(string id, IJobStore store, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JobInfo? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var job = await store.GetJobAsync(id, cancellationToken);
            if (job is null)
            {
                yield break;
            }

            var info = JobMapper.ToInfo(job);
            var finished = JobMapper.IsFinished(job.State);
            if (last is null || info.State != last.State || info.Progress != last.Progress || info.Step != last.Step || info.Attempt != last.Attempt)
            {
                yield return new SseItem<JobInfo>(info, finished ? "end" : "progress");
                last = info;
            }

            if (finished)
            {
                yield break;
            }

            await Task.Delay(EventPollInterval, time, cancellationToken);
        }
    }

    private static async Task<Results<Accepted<JobInfo>, ProblemHttpResult>> CancelAsync(
        string id, IJobStore store, TimeProvider time, JobSignal signal, CancellationToken cancellationToken)
    {
        var before = await store.GetJobAsync(id, cancellationToken);
        if (before is null)
        {
            return NotFound(id);
        }

        if (JobMapper.IsFinished(before.State))
        {
            return ProblemResults.Create(StatusCodes.Status409Conflict, "job_finished", $"Job '{id}' already {before.State.ToString().ToLowerInvariant()}.");
        }

        var job = await store.RequestCancelAsync(id, time.GetUtcNow(), cancellationToken);
        signal.Notify();
        return TypedResults.Accepted($"/v1/jobs/{id}", JobMapper.ToInfo(job!));
    }

    private static ProblemHttpResult NotFound(string id) =>
        ProblemResults.Create(StatusCodes.Status404NotFound, "job_not_found", $"Job '{ProblemResults.Truncate(id)}' does not exist.");
}
