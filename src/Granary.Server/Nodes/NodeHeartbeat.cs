using System.Diagnostics;
using Granary.Cluster.Jobs;
using Granary.Cluster.Placement;
using Granary.Storage.Chunks;
using Granary.Storage.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Granary.Server.Nodes;

/// <summary>
/// Publishes this node's address and load to the node directory every <see cref="Interval"/>, so any node
/// can answer <c>/v1/cluster</c> for all of them; also forgets nodes gone for a day.
/// </summary>
internal sealed partial class NodeHeartbeat(
    INodeStore store,
    JobRunnerIdentity identity,
    JobScheduler scheduler,
    ShardRegistry shards,
    ChunkCache chunks,
    IServer server,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;
    private long _lastTimestamp = time.GetTimestamp();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var forgetAt = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await store.PublishNodeAsync(Describe(), stoppingToken);
                if (time.GetUtcNow() > forgetAt)
                {
                    await store.ForgetNodesAsync(time.GetUtcNow().AddDays(-1), stoppingToken);
                    forgetAt = time.GetUtcNow().AddHours(1);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogPublishFailed(logger, error);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public NodeRecord Describe()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var now = time.GetTimestamp();
        var wall = time.GetElapsedTime(_lastTimestamp, now);
        var load = wall > TimeSpan.Zero ? (cpu - _lastCpu) / (wall * Environment.ProcessorCount) : 0;
        (_lastCpu, _lastTimestamp) = (cpu, now);
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? string.Empty;
        return new NodeRecord(identity.Owner, url, silo.SiloAddress.ToParsableString(), _started, time.GetUtcNow(), new NodeLoad(
            Environment.ProcessorCount,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            process.WorkingSet64,
            Math.Clamp(load, 0, 1),
            shards.Count,
            scheduler.RunningHere,
            chunks.LoadedBytes));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish this node's heartbeat to the node directory")]
    private static partial void LogPublishFailed(ILogger logger, Exception error);
}
