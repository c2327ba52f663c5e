using System.Globalization;
using System.Text;
using Npgsql;

namespace Granary.Cluster.Membership;

/// <summary>Maps Orleans' <see cref="MembershipEntry"/> to a row of <c>orleans_membership</c> and back.</summary>
internal static class MembershipRows
{
    public const string Columns =
        "address, status, suspect_times, proxy_port, host_name, silo_name, role_name, update_zone, fault_zone, start_time, i_am_alive_time, etag";

    public static NpgsqlCommand Write(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction, string clusterId, MembershipEntry entry)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("address", entry.SiloAddress.ToParsableString());
        command.Parameters.AddWithValue("status", (int)entry.Status);
        command.Parameters.AddWithValue("suspects", FormatSuspects(entry.SuspectTimes));
        command.Parameters.AddWithValue("proxy", entry.ProxyPort);
        command.Parameters.AddWithValue("host", entry.HostName ?? string.Empty);
        command.Parameters.AddWithValue("silo", entry.SiloName ?? string.Empty);
        command.Parameters.AddWithValue("role", entry.RoleName ?? string.Empty);
        command.Parameters.AddWithValue("update", entry.UpdateZone);
        command.Parameters.AddWithValue("fault", entry.FaultZone);
        command.Parameters.AddWithValue("start", ToMicros(entry.StartTime));
        command.Parameters.AddWithValue("alive", ToMicros(entry.IAmAliveTime));
        return command;
    }

    public static Tuple<MembershipEntry, string> Read(NpgsqlDataReader reader)
    {
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(reader.GetString(0)),
            Status = (SiloStatus)reader.GetInt32(1),
            SuspectTimes = ParseSuspects(reader.GetString(2)),
            ProxyPort = reader.GetInt32(3),
            HostName = reader.GetString(4),
            SiloName = reader.GetString(5),
            RoleName = reader.GetString(6),
            UpdateZone = reader.GetInt32(7),
            FaultZone = reader.GetInt32(8),
            StartTime = FromMicros(reader.GetInt64(9)),
            IAmAliveTime = FromMicros(reader.GetInt64(10)),
        };
        return Tuple.Create(entry, reader.GetInt64(11).ToString(CultureInfo.InvariantCulture));
    }

    public static long ToMicros(DateTime time) =>
        (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks / TimeSpan.TicksPerMicrosecond;

    private static DateTime FromMicros(long micros) => new(micros * TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc);

    // "address@micros|address@micros": silo addresses contain neither '|' nor a second '@' after the last one.
    private static string FormatSuspects(List<Tuple<SiloAddress, DateTime>>? suspects)
    {
        if (suspects is not { Count: > 0 })
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (silo, time) in suspects)
        {
            if (text.Length > 0)
            {
                text.Append('|');
            }

            text.Append(silo.ToParsableString()).Append('@').Append(ToMicros(time).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static List<Tuple<SiloAddress, DateTime>> ParseSuspects(string text)
    {
        var list = new List<Tuple<SiloAddress, DateTime>>();
        foreach (var item in text.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.LastIndexOf('@');
            list.Add(Tuple.Create(
                SiloAddress.FromParsableString(item[..at]),
                FromMicros(long.Parse(item.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture))));
        }

        return list;
    }
}
