using Granary.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Granary.Server.Hosting;

/// <summary>Sweeps orphaned blobs periodically, keeping files younger than the grace period.</summary>
internal sealed partial class OrphanSweepService(
    OrphanSweeper sweeper,
    InFlightWrites inFlight,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<OrphanSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var (files, bytes) = await sweeper.SweepAsync(options.Value.OrphanGracePeriod, await inFlight.SnapshotAsync(stoppingToken), stoppingToken);
                if (files > 0)
                {
                    LogSwept(logger, files, bytes);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(logger, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Periodic sweep removed {Files} orphaned files ({Bytes} bytes)")]
    private static partial void LogSwept(ILogger logger, int files, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Periodic orphan sweep failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
