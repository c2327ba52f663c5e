namespace Granary.Cluster.Security;

/// <summary>The cluster-secret handshake failed: the peer does not know the secret, spoke another protocol, went away or was too slow.</summary>
public sealed class ClusterHandshakeException : Exception
{
    public ClusterHandshakeException()
    {
    }

    public ClusterHandshakeException(string message)
        : base(message)
    {
    }

    public ClusterHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
