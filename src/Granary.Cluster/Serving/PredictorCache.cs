using Granary.Core.Inference;
using Granary.Storage.Blobs;
using Granary.Storage.Chunks;

namespace Granary.Cluster.Serving;

/// <summary>
/// Compiled predictors on this node, keyed by artifact path (unique per registered version): loaded once,
/// shared by every request. Artifacts are immutable, so entries never go stale.
/// </summary>
public sealed class PredictorCache(IBlobStore blobs)
{
    private readonly ByteBoundedCache<LinearPredictor> _cache = new(1_000, _ => 1);

    public Task<LinearPredictor> GetAsync(string artifactPath, CancellationToken cancellationToken) =>
        _cache.GetAsync(artifactPath, () => LoadAsync(artifactPath), cancellationToken);

    private Task<LinearPredictor> LoadAsync(string path) => Task.Run(async () =>
    {
        await using var stream = blobs.OpenRead(path);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return LinearPredictor.FromArtifact(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
}
