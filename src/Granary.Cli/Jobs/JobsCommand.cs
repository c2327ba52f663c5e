using System.CommandLine;
using Spectre.Console;

namespace Granary.Cli.Jobs;

/// <summary><c>granary jobs list|show|follow|cancel</c>.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var state = new Option<string?>("--state") { Description = "Only jobs in this state." };
        state.AcceptOnlyFromAmong("queued", "running", "succeeded", "failed", "cancelled");
        var limit = new Option<int>("--limit", "-n") { Description = "Most jobs to list.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List jobs, newest first.") { state, limit };
        list.Aliases.Add("ls");
        list.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var jobs = await client.ListJobsAsync(parseResult.GetValue(state), parseResult.GetValue(limit), ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(new { jobs });
                return ExitCodes.Ok;
            }

            var table = new Table().RoundedBorder().AddColumns("Id", "Type", "State", "Progress", "Step", "Attempt", "Created");
            foreach (var job in jobs)
            {
                table.AddRow(
                    Markup.Escape(job.Id), job.Type, job.State, job.Progress.ToString("P0", System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(job.Error is { } e ? $"{e.Code}: {e.Message}" : job.Step ?? string.Empty), job.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    job.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }

            context.Console.Output.Write(table);
            return ExitCodes.Ok;
        }, cancellationToken));

        var id = new Argument<string>("id") { Description = "The job id (job-...)." };
        var show = new Command("show", "Show a job: state, progress, error, result.") { id };
        show.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var job = await client.GetJobAsync(parseResult.GetValue(id)!, ct).ConfigureAwait(false);
            context.WriteJson(job);
            return ExitCodes.Ok;
        }, cancellationToken));

        var followId = new Argument<string>("id") { Description = "The job id." };
        var follow = new Command("follow", "Follow a job's progress until it ends.") { followId };
        follow.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var job = await client.GetJobAsync(parseResult.GetValue(followId)!, ct).ConfigureAwait(false);
            var final = await JobFollower.FollowAsync(context, client, job, ct).ConfigureAwait(false);
            return JobFollower.Conclude(context, final);
        }, cancellationToken));

        var cancelId = new Argument<string>("id") { Description = "The job id." };
        var cancel = new Command("cancel", "Cancel a queued or running job.") { cancelId };
        cancel.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, async (context, client, ct) =>
        {
            var job = await client.CancelJobAsync(parseResult.GetValue(cancelId)!, ct).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(job);
            }
            else
            {
                context.Console.RawOutput.WriteLine(job.State == "cancelled" ? $"{job.Id} cancelled." : $"{job.Id}: cancellation requested; it stops after its current step.");
            }

            return ExitCodes.Ok;
        }, cancellationToken));

        return new Command("jobs", "List, follow and cancel durable jobs.") { list, show, follow, cancel };
    }
}
