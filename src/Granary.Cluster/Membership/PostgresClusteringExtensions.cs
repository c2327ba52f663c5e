using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Granary.Cluster.Membership;

public static class PostgresClusteringExtensions
{
    /// <summary>
    /// Keeps Orleans' membership in Granary's PostgreSQL database (tables <c>orleans_membership*</c>, created
    /// on first start), so a cluster depends on PostgreSQL and the shared blob store only.
    /// </summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return silo.UsePostgresClustering(_ => connectionString);
    }

    /// <summary>As above, with the connection string read from configured services when the silo starts (after options validation).</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder silo, Func<IServiceProvider, string> connectionString)
    {
        silo.Services.AddSingleton<IMembershipTable>(sp => new PostgresMembershipTable(
            NpgsqlDataSource.Create(connectionString(sp)),
            sp.GetRequiredService<IOptions<Orleans.Configuration.ClusterOptions>>().Value.ClusterId));
        return silo;
    }
}
