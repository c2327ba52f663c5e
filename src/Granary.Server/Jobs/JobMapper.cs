using System.Text.Json;
using Granary.Client.Models;
using Granary.Storage.Jobs;
using Granary.Storage.Metadata;

namespace Granary.Server.Jobs;

/// <summary>Stored job records to the HTTP contract's shape.</summary>
public static class JobMapper
{
    public static JobInfo ToInfo(JobRecord job) => new(
        job.Id,
        job.Type,
        SqlMetadataStore.StateName(job.State),
        job.Priority,
        job.Progress,
        job.Step,
        job.Attempt,
        job.State is JobState.Failed or JobState.Cancelled && job.ErrorCode is not null ? new JobError(job.ErrorCode, job.ErrorMessage ?? string.Empty) : null,
        job.ResultJson is null ? null : Parse(job.ResultJson),
        Parse(job.SpecJson),
        job.CreatedAt,
        job.StartedAt,
        job.FinishedAt,
        job.CancelRequested,
        job.State == JobState.Running ? job.LeaseOwner : null);

    public static bool IsFinished(JobState state) => state is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
