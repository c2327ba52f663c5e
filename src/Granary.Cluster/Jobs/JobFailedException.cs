namespace Granary.Cluster.Jobs;

/// <summary>A job that cannot succeed as submitted (bad spec, missing data): failed at once, never retried.</summary>
public sealed class JobFailedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
