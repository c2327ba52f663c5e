using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Granary.Client.Models;

namespace Granary.Client;

/// <summary>The jobs API: submit, list, show, follow, cancel.</summary>
public sealed partial class GranaryClient
{
    /// <summary>Submits a training job; returns it as queued (202).</summary>
    public Task<JobInfo> SubmitTrainingAsync(TrainJobSpec spec, CancellationToken cancellationToken = default) => SubmitAsync(spec, cancellationToken);

    /// <summary>Submits an evaluation job (202).</summary>
    public Task<JobInfo> SubmitEvaluationAsync(EvaluateJobSpec spec, CancellationToken cancellationToken = default) => SubmitAsync(spec, cancellationToken);

    /// <summary>Submits a batch-scoring job (202).</summary>
    public Task<JobInfo> SubmitScoringAsync(PredictJobSpec spec, CancellationToken cancellationToken = default) => SubmitAsync(spec, cancellationToken);

    /// <summary>A stored evaluation: each model version's report.</summary>
    public Task<EvaluationInfo> GetEvaluationAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<EvaluationInfo>("v1/evaluations/" + Uri.EscapeDataString(id), cancellationToken);

    private async Task<JobInfo> SubmitAsync<TSpec>(TSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var request = CreateRequest(HttpMethod.Post, "v1/jobs");
        request.Content = JsonContent.Create(spec, options: GranaryJson.Options);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<JobInfo>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<JobInfo>> ListJobsAsync(string? state = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        var query = $"v1/jobs?limit={limit}" + (state is null ? string.Empty : "&state=" + Uri.EscapeDataString(state));
        return (await GetAsync<JobList>(query, cancellationToken).ConfigureAwait(false)).Jobs;
    }

    public Task<JobInfo> GetJobAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync<JobInfo>(JobPath(id), cancellationToken);

    public async Task<JobInfo> CancelJobAsync(string id, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(HttpMethod.Post, JobPath(id) + "/cancel");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<JobInfo>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The job each time it changes (server-sent events), ending with its final state.</summary>
    public async IAsyncEnumerable<JobInfo> FollowJobAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(HttpMethod.Get, JobPath(id) + "/events");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var item in SseParser.Create(stream, (_, data) => JsonSerializer.Deserialize<JobInfo>(data, GranaryJson.Options)).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is { } job)
            {
                yield return job;
            }
        }
    }

    private static string JobPath(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return "v1/jobs/" + Uri.EscapeDataString(id);
    }
}
