using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Granary.Cluster.Security;

public static class ClusterSecretSiloBuilderExtensions
{
    /// <summary>
    /// Requires every silo-to-silo connection (both directions), and every gateway connection, to pass the cluster-secret
    /// handshake (<see cref="ClusterHandshake"/>) before Orleans' own handshake runs. Silos only form a cluster with silos
    /// configured with the same secret. The secret must be at least <see cref="ClusterKey.MinimumSecretLength"/> characters.
    /// </summary>
    public static ISiloBuilder UseClusterSecret(this ISiloBuilder builder, string secret, Action<ClusterSecurityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(ClusterSecretConnectionMiddleware)))
        {
            throw new InvalidOperationException("UseClusterSecret has already been called on this silo.");
        }

        var key = ClusterKey.FromSecret(secret);
        var options = builder.Services.AddOptions<ClusterSecurityOptions>()
            .Validate(o => o.HandshakeTimeout > TimeSpan.Zero, "Cluster handshake timeout must be positive.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton(sp => new ClusterSecretConnectionMiddleware(
            key,
            sp.GetRequiredService<IOptions<ClusterSecurityOptions>>(),
            sp.GetRequiredService<ILogger<ClusterSecretConnectionMiddleware>>()));
        builder.Services.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloOutboundConnection(b => Use(b, ClusterHandshakeRole.Initiator));
            connections.ConfigureSiloInboundConnection(b => Use(b, ClusterHandshakeRole.Acceptor));
            connections.ConfigureGatewayInboundConnection(b => Use(b, ClusterHandshakeRole.Acceptor));
        });
        return builder;
    }

    private static void Use(IConnectionBuilder connection, ClusterHandshakeRole role)
    {
        var middleware = connection.ApplicationServices.GetRequiredService<ClusterSecretConnectionMiddleware>();
        connection.Use(next => context => middleware.InvokeAsync(context, next, role));
    }
}
