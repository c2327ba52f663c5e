namespace Granary.Cluster.Jobs;

/// <summary>
/// The name under which this node holds job leases. Stable across restarts of the same node (kept in its
/// data folder), so a restarted node takes back the jobs it was running at once instead of waiting for
/// their leases to expire.
/// </summary>
public sealed record JobRunnerIdentity(string Owner)
{
    public static JobRunnerIdentity LoadOrCreate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "node-id");
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            return new JobRunnerIdentity(existing);
        }

        var id = "node-" + Guid.NewGuid().ToString("N")[..12];
        File.WriteAllText(path, id);
        return new JobRunnerIdentity(id);
    }
}
