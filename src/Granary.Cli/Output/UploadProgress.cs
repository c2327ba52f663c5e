using System.Diagnostics;
using Granary.Client.Models;
using Spectre.Console;

namespace Granary.Cli.Output;

/// <summary>Runs an upload with a live progress bar on a terminal, or silently when output is redirected.</summary>
internal static class UploadProgress
{
    public static async Task<UploadOutcome> RunAsync(
        CliConsole console,
        bool showProgress,
        string description,
        long totalBytes,
        Func<IProgress<long>, Task<DatasetVersionInfo>> send)
    {
        var stopwatch = Stopwatch.StartNew();
        DatasetVersionInfo version;
        long bytesSent;
        if (showProgress && console.OutputIsTerminal)
        {
            (version, bytesSent) = await WithBarAsync(console.Output, description, totalBytes, send).ConfigureAwait(false);
        }
        else
        {
            var reporter = new ProgressTaskReporter(null, description);
            version = await send(reporter).ConfigureAwait(false);
            bytesSent = reporter.BytesSent;
        }

        return new UploadOutcome(version, bytesSent, stopwatch.Elapsed);
    }

    private static async Task<(DatasetVersionInfo Version, long BytesSent)> WithBarAsync(
        IAnsiConsole console, string description, long totalBytes, Func<IProgress<long>, Task<DatasetVersionInfo>> send)
    {
        var progress = console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn());

        return await progress.StartAsync(async ctx =>
        {
            // An empty file still gets a bar (max 1) so that the completion state renders.
            var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(totalBytes, 1));
            var reporter = new ProgressTaskReporter(task, Markup.Escape(description) + " [grey](processing on the node)[/]");
            var version = await send(reporter).ConfigureAwait(false);
            task.Description = Markup.Escape(description);
            task.Value = task.MaxValue;
            task.StopTask();
            return (version, reporter.BytesSent);
        }).ConfigureAwait(false);
    }
}
