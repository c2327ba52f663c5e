using System.Diagnostics;
using System.Text.Json;
using Granary.Cluster.DataPlane;
using Granary.Core.Sketches;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Datasets;

/// <summary>
/// Fans the profile of one version out to its shard grains, merges their sketches, and caches the result
/// in the metadata store. Nothing is kept in the activation: the store is the cache, so a recreated
/// dataset under the same name never sees a stale profile.
/// </summary>
// Where it is asked for: the node answering the request computes it, so a dead node never holds a profile others wait on.
[Orleans.Placement.PreferLocalPlacement]
internal sealed class DatasetProfileGrain(IMetadataStore store, TimeProvider time) : Grain, IDatasetProfileGrain
{
    public async Task<string> GetProfileJsonAsync()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        var name = key[..slash];
        var version = int.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        var cached = await store.GetProfileAsync(name, version, CancellationToken.None);
        if (cached is not null)
        {
            return cached;
        }

        var record = await store.GetVersionAsync(name, version, CancellationToken.None)
            ?? throw new MetadataConflictException("dataset_not_found", $"Dataset '{name}' has no version {version}.");
        var started = Stopwatch.GetTimestamp();
        var chunks = await store.ListChunksAsync(name, version, CancellationToken.None);
        var sketches = await ShardFanOut.RunAsync(chunks, (chunk, _) => GrainFactory.GetGrain<IDatasetShardGrain>(chunk.Path).SketchAsync());

        var json = await Task.Run(() =>
        {
            var merged = new DatasetSketch(record.Schema);
            foreach (var bytes in sketches)
            {
                merged.Merge(DatasetSketch.Deserialize(bytes));
            }

            var profile = ProfileMapper.ToContract(name, version, merged.ToProfile(), time.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalSeconds);
            return JsonSerializer.Serialize(profile, Client.GranaryJson.Options);
        });
        await store.PutProfileAsync(name, version, json, CancellationToken.None);
        return json;
    }
}
