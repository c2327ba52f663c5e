namespace Granary.Cluster.Tests.Security;

/// <summary>Two silos sharing a cluster secret, started once for <see cref="ClusterSecretSiloTests"/>.</summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public const string Secret = "members-only: 7f3c1e9a5b2d4c6e8a0b1c2d3e4f5a6b";

    public string ClusterId { get; } = "auth-" + Guid.NewGuid().ToString("N")[..8];

    internal TestSilo Primary { get; private set; } = null!;

    internal TestSilo Secondary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Primary = await TestSilo.StartAsync(ClusterId, primaryPort: null, Secret);
        Secondary = await TestSilo.StartAsync(ClusterId, Primary.Port, Secret);
        await Eventually.TrueAsync(() => Primary.ActiveCount() == 2 && Secondary.ActiveCount() == 2, TimeSpan.FromSeconds(30), "both silos see two active members");

        // Between members every handshake succeeds (intruder tests add refusals later).
        Assert.DoesNotContain(Primary.Logs.Messages, m => m.Contains("cluster handshake failed"));
        Assert.DoesNotContain(Secondary.Logs.Messages, m => m.Contains("cluster handshake failed"));
    }

    public async Task DisposeAsync()
    {
        if (Secondary is not null)
        {
            await Secondary.DisposeAsync();
        }

        if (Primary is not null)
        {
            await Primary.DisposeAsync();
        }
    }
}
