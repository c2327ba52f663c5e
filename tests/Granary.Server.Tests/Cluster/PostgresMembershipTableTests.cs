using System.Net;
using Granary.Cluster.Membership;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Granary.Tests.Shared;

namespace Granary.Server.Tests.Cluster;

/// <summary>The semantics Orleans' membership protocol relies on, checked against a real PostgreSQL.</summary>
public sealed class PostgresMembershipTableTests
{
    private static readonly DateTime Start = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Insert_update_and_heartbeat_follow_the_etag_rules()
    {
        using var table = await NewTableAsync("c1");
        var empty = await table.ReadAll();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var a = Entry(11111, "node-a");
        Assert.True(await table.InsertRow(a, empty.Version.Next()));
        // The same row again, or any write with the table etag already used, is refused.
        Assert.False(await table.InsertRow(Entry(11111, "node-a"), empty.Version.Next()));
        var afterA = await table.ReadAll();
        Assert.False(await table.InsertRow(Entry(22222, "node-b"), empty.Version.Next()));
        Assert.True(await table.InsertRow(Entry(22222, "node-b"), afterA.Version.Next()));

        var snapshot = await table.ReadAll();
        Assert.Equal(2, snapshot.Version.Version);
        Assert.Equal(2, snapshot.Members.Count);
        var (readA, etagA) = snapshot.Members.Single(m => m.Item1.SiloName == "node-a");
        Assert.Equal(a.SiloAddress, readA.SiloAddress);
        Assert.Equal(SiloStatus.Joining, readA.Status);
        Assert.Equal(a.StartTime, readA.StartTime);

        // A heartbeat changes the alive time only: the row etag and table version read before stay valid.
        readA.IAmAliveTime = Start.AddMinutes(5);
        await table.UpdateIAmAlive(readA);
        var heartbeat = (await table.ReadRow(readA.SiloAddress)).Members.Single();
        Assert.Equal(Start.AddMinutes(5), heartbeat.Item1.IAmAliveTime);
        Assert.Equal(etagA, heartbeat.Item2);

        readA.Status = SiloStatus.Active;
        readA.AddOrUpdateSuspector(Entry(22222, "node-b").SiloAddress, Start.AddMinutes(6), 10);
        Assert.True(await table.UpdateRow(readA, etagA, snapshot.Version.Next()));
        var updated = await table.ReadAll();
        var (activeA, newEtag) = updated.Members.Single(m => m.Item1.SiloName == "node-a");
        Assert.Equal(SiloStatus.Active, activeA.Status);
        Assert.Equal(Start.AddMinutes(6), Assert.Single(activeA.SuspectTimes!).Item2);
        Assert.NotEqual(etagA, newEtag);

        // Stale row etag, stale table etag, or an unknown row: refused, and nothing changes.
        Assert.False(await table.UpdateRow(activeA, etagA, updated.Version.Next()));
        Assert.False(await table.UpdateRow(activeA, newEtag, snapshot.Version.Next()));
        Assert.False(await table.UpdateRow(Entry(33333, "node-c"), "0", updated.Version.Next()));
        Assert.Equal(updated.Version, (await table.ReadAll()).Version);
    }

    [Fact]
    public async Task Racing_writers_with_the_same_table_version_let_exactly_one_win()
    {
        using var table = await NewTableAsync("race");
        var version = (await table.ReadAll()).Version;
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => table.InsertRow(Entry(30000 + i, $"node-{i}"), version.Next())));
        Assert.Single(results, r => r);
        Assert.Single((await table.ReadAll()).Members);
    }

    [Fact]
    public async Task Clusters_are_separate_and_defunct_dead_rows_are_cleaned_up()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        using var one = await NewTableAsync("one", database);
        using var two = await NewTableAsync("two", database);
        var dead = Entry(40000, "old");
        dead.Status = SiloStatus.Dead;
        Assert.True(await one.InsertRow(dead, (await one.ReadAll()).Version.Next()));
        Assert.True(await one.InsertRow(Entry(40001, "alive"), (await one.ReadAll()).Version.Next()));
        Assert.Empty((await two.ReadAll()).Members);

        await one.CleanupDefunctSiloEntries(Start.AddMinutes(-1));
        Assert.Equal(2, (await one.ReadAll()).Members.Count);
        await one.CleanupDefunctSiloEntries(Start.AddMinutes(1));
        Assert.Equal("alive", Assert.Single((await one.ReadAll()).Members).Item1.SiloName);

        await one.DeleteMembershipTableEntries("one");
        Assert.Empty((await one.ReadAll()).Members);
    }

    private static async Task<PostgresMembershipTable> NewTableAsync(string clusterId, string? database = null)
    {
        var table = new PostgresMembershipTable(NpgsqlDataSource.Create(database ?? await TestPostgres.CreateDatabaseAsync()), clusterId);
        await table.InitializeMembershipTable(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, string name) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7),
        Status = SiloStatus.Joining,
        SuspectTimes = [],
        HostName = "localhost",
        SiloName = name,
        RoleName = "granary",
        StartTime = Start,
        IAmAliveTime = Start,
    };
}
