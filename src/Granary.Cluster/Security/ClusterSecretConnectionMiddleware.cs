using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Cluster.Security;

/// <summary>
/// Connection middleware in front of Orleans' silo (and gateway) connections: runs <see cref="ClusterHandshake"/> within
/// <see cref="ClusterSecurityOptions.HandshakeTimeout"/> and hands the connection on to Orleans only when it succeeds.
/// A failed connection is logged as a warning with the remote endpoint and aborted; Orleans never reads from it.
/// </summary>
public sealed partial class ClusterSecretConnectionMiddleware
{
    private readonly ClusterKey key;
    private readonly ClusterSecurityOptions options;
    private readonly ILogger<ClusterSecretConnectionMiddleware> logger;

    public ClusterSecretConnectionMiddleware(ClusterKey key, IOptions<ClusterSecurityOptions> options, ILogger<ClusterSecretConnectionMiddleware> logger)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        this.key = key;
        this.options = options.Value;
        this.logger = logger;
    }

    public async Task InvokeAsync(ConnectionContext context, ConnectionDelegate next, ClusterHandshakeRole role)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        string? failure = null;
        using (var timeout = new CancellationTokenSource(options.HandshakeTimeout))
        using (var cancellation = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.ConnectionClosed))
        {
            try
            {
                await ClusterHandshake.RunAsync(context.Transport, key, role, cancellation.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                failure = $"no complete handshake within {options.HandshakeTimeout.TotalSeconds:0.###} s";
            }
            catch (OperationCanceledException) when (context.ConnectionClosed.IsCancellationRequested)
            {
                failure = "the connection closed during the handshake";
            }
            catch (Exception e)
            {
                failure = e is ClusterHandshakeException ? Describe(e) : $"{e.GetType().Name}: {e.Message}";
            }
        }

        if (failure is not null)
        {
            LogRejected(logger, role == ClusterHandshakeRole.Initiator ? "outbound" : "inbound", context.RemoteEndPoint?.ToString() ?? "(unknown)", failure);
            context.Abort(new ConnectionAbortedException($"Cluster handshake failed: {failure}"));
            return;
        }

        LogAccepted(logger, role == ClusterHandshakeRole.Initiator ? "outbound" : "inbound", context.RemoteEndPoint?.ToString() ?? "(unknown)");
        await next(context);
    }

    private static string Describe(Exception e) =>
        e.InnerException is ClusterHandshakeException inner ? $"{e.Message} ({inner.Message})" : e.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Direction} silo connection with {RemoteEndPoint}: cluster handshake failed: {Reason}")]
    private static partial void LogRejected(ILogger logger, string direction, string remoteEndPoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster handshake succeeded on {Direction} silo connection with {RemoteEndPoint}")]
    private static partial void LogAccepted(ILogger logger, string direction, string remoteEndPoint);
}
