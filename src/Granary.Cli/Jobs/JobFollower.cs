using Granary.Client;
using Granary.Client.Models;
using Spectre.Console;

namespace Granary.Cli.Jobs;

/// <summary>
/// Follows a job to its end over server-sent events: a live progress bar on a terminal (the step line
/// carries iteration, loss and ETA), one line per new step otherwise. Returns the final state.
/// </summary>
internal static class JobFollower
{
    public static async Task<JobInfo> FollowAsync(CommandContext context, GranaryClient client, JobInfo job, CancellationToken cancellationToken)
    {
        var last = job;
        if (context.Console.OutputIsTerminal && !context.Json)
        {
            await context.Console.Output.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(Describe(job)), maxValue: 1);
                    await foreach (var update in client.FollowJobAsync(job.Id, cancellationToken).ConfigureAwait(false))
                    {
                        last = update;
                        task.Description = Markup.Escape(Describe(update));
                        task.Value = update.Progress;
                    }

                    task.StopTask();
                }).ConfigureAwait(false);
        }
        else
        {
            string? lastStep = null;
            await foreach (var update in client.FollowJobAsync(job.Id, cancellationToken).ConfigureAwait(false))
            {
                last = update;
                if (!context.Json && update.Step != lastStep && update.Step is not null)
                {
                    context.Console.RawOutput.WriteLine($"{update.Id}: {update.State} {update.Progress:P0} {update.Step}");
                    lastStep = update.Step;
                }
            }
        }

        // The stream ends with the final state; ask once more in case it closed early (a proxy, a restart).
        return last.State is "succeeded" or "failed" or "cancelled" ? last : await client.GetJobAsync(job.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Prints how a job ended and returns the exit code: 0 only when it succeeded.</summary>
    public static int Conclude(CommandContext context, JobInfo job)
    {
        if (context.Json)
        {
            context.WriteJson(job);
        }
        else if (job.State == "succeeded")
        {
            context.Console.RawOutput.WriteLine(Summary(job));
        }

        switch (job.State)
        {
            case "succeeded":
                return ExitCodes.Ok;
            case "failed":
                context.Console.WriteError($"job {job.Id} failed: {job.Error?.Message} ({job.Error?.Code})");
                return ExitCodes.ServerError;
            case "cancelled":
                context.Console.WriteError($"job {job.Id} was cancelled.");
                return ExitCodes.ServerError;
            default:
                context.Console.WriteError($"job {job.Id} is still {job.State}; follow it with 'granary jobs follow {job.Id}'.");
                return ExitCodes.ServerError;
        }
    }

    private static string Describe(JobInfo job) => $"{job.Id} {job.State}" + (job.Step is null ? string.Empty : $": {job.Step}");

    private static string Summary(JobInfo job)
    {
        if (job.Result is not { } result || !result.TryGetProperty("model", out var model))
        {
            return $"{job.Id} succeeded.";
        }

        var text = $"{job.Id} succeeded: model {model.GetString()} version {result.GetProperty("version").GetInt32()}";
        if (result.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            var split = metrics.TryGetProperty("validation", out var validation) ? ("validation", validation) : ("train", metrics.GetProperty("train"));
            var figures = split.Item2.EnumerateObject()
                .Where(p => p.Name != "rows" && p.Value.ValueKind == System.Text.Json.JsonValueKind.Number)
                .Select(p => $"{p.Name} {p.Value.GetDouble():G4}");
            text += $" ({split.Item1}: {string.Join(", ", figures)}; {metrics.GetProperty("iterations").GetInt32()} iterations)";
        }

        return text + ".";
    }
}
