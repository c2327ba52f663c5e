namespace Granary.Cluster.Security;

/// <summary>Tuning of the cluster-secret handshake (see <see cref="ClusterHandshake"/>).</summary>
public sealed class ClusterSecurityOptions
{
    /// <summary>How long a new silo connection may take to complete the handshake before it is closed. Default 5 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
