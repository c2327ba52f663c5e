using Granary.Server.Auth;
using Granary.Storage.Blobs;
using Granary.Storage.Metadata;
using Microsoft.Extensions.Options;

namespace Granary.Server.Hosting;

/// <summary>
/// Start-up work before the node takes traffic: migrate the metadata schema, refuse an unsafe bind, sweep
/// what crashed uploads left behind. A single node (SQLite metadata) is the only writer at this point, so it
/// sweeps with no grace period; over a shared PostgreSQL store other nodes may be uploading, so the
/// configured <c>Storage:OrphanGracePeriod</c> applies.
/// </summary>
internal sealed partial class NodeStartup(
    IMetadataStore store,
    OrphanSweeper sweeper,
    InFlightWrites inFlight,
    IWriteHoldStore holds,
    Granary.Cluster.Jobs.JobRunnerIdentity identity,
    ApiKeyValidator keys,
    BindAddresses bind,
    NodeReadiness readiness,
    IOptions<StorageOptions> storage,
    ILogger<NodeStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        var exposed = BindPolicy.NonLoopback(bind.Urls);
        if (exposed.Count > 0 && !await keys.IsEnabledAsync(cancellationToken))
        {
            throw new InvalidOperationException(
                $"Refusing to listen on {string.Join(", ", exposed)} without API keys. Create one with " +
                "'granary keys create NAME --data DIR' (or set Auth:ApiKeyHashes), or bind to 127.0.0.1.");
        }

        // Holds this node had on upload folders died with its previous run.
        await holds.ReleaseWritesOfAsync(identity.Owner, cancellationToken);
        var grace = storage.Value.Metadata == "sqlite" ? TimeSpan.Zero : storage.Value.OrphanGracePeriod;
        var (files, bytes) = await sweeper.SweepAsync(grace, await inFlight.SnapshotAsync(cancellationToken), cancellationToken);
        if (files > 0)
        {
            LogSwept(logger, files, bytes);
        }

        readiness.MarkInitialized();
        LogListening(logger, string.Join(", ", bind.Urls));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Files} orphaned files ({Bytes} bytes) left by interrupted writes")]
    private static partial void LogSwept(ILogger logger, int files, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Granary node starting on {Urls}")]
    private static partial void LogListening(ILogger logger, string urls);
}

/// <summary>The HTTP addresses this node was configured to listen on.</summary>
public sealed record BindAddresses(IReadOnlyList<string> Urls);
