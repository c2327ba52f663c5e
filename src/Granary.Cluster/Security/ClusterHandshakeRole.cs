namespace Granary.Cluster.Security;

/// <summary>Which end of a connection this side is in the cluster-secret handshake.</summary>
public enum ClusterHandshakeRole
{
    /// <summary>The side that opened the connection (an outbound silo connection).</summary>
    Initiator,

    /// <summary>The side that accepted the connection (the silo, or gateway, listener).</summary>
    Acceptor,
}
