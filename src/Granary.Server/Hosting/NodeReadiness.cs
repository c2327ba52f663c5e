using Granary.Storage.Metadata;

namespace Granary.Server.Hosting;

/// <summary>Ready once start-up work is done (schema migrated, orphans swept, silo up) and the metadata store answers.</summary>
public sealed class NodeReadiness(IMetadataStore store, IHostApplicationLifetime lifetime)
{
    private volatile bool _initialized;

    public void MarkInitialized() => _initialized = true;

    /// <summary>Null when ready, else the reason.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (!_initialized || !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return "starting";
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return "stopping";
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await store.GetDatasetAsync("readiness-probe", timeout.Token);
            return null;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return "metadata store unavailable: " + error.Message;
        }
    }
}
