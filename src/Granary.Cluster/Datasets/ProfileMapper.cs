using System.Globalization;
using Granary.Core.Data;
using Granary.Core.Sketches;
using Granary.Storage.Metadata;
using ClientColumnProfile = Granary.Client.Models.ColumnProfile;
using ClientDatasetProfile = Granary.Client.Models.DatasetProfile;
using ClientHistogram = Granary.Client.Models.Histogram;
using ClientTopValue = Granary.Client.Models.TopValue;

namespace Granary.Cluster.Datasets;

/// <summary>A merged sketch's profile in the HTTP contract's shape.</summary>
public static class ProfileMapper
{
    public static ClientDatasetProfile ToContract(string name, int version, DatasetProfileResult profile, DateTimeOffset computedAt, double seconds) =>
        new(name, version, profile.Rows, computedAt, seconds, profile.Columns.Select(ToContract).ToList());

    private static ClientColumnProfile ToContract(ColumnProfile column)
    {
        var timestamp = column.Type == ColumnType.Timestamp;
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        if (timestamp)
        {
            AddTime(extra, "min", column.MinTimestamp);
            AddTime(extra, "max", column.MaxTimestamp);
            foreach (var quantile in column.Quantiles ?? [])
            {
                AddTime(extra, quantile.Label, quantile.Timestamp);
            }
        }

        if (column.TrueCount is { } trues)
        {
            extra["trueCount"] = trues.ToString(CultureInfo.InvariantCulture);
            extra["falseCount"] = (column.FalseCount ?? 0).ToString(CultureInfo.InvariantCulture);
        }

        if (column.PositiveInfinityCount > 0 || column.NegativeInfinityCount > 0)
        {
            extra["positiveInfinity"] = column.PositiveInfinityCount.ToString(CultureInfo.InvariantCulture);
            extra["negativeInfinity"] = column.NegativeInfinityCount.ToString(CultureInfo.InvariantCulture);
        }

        return new ClientColumnProfile(
            column.Name,
            SchemaJson.TypeName(column.Type),
            column.Count,
            column.Missing,
            timestamp ? null : column.Mean,
            timestamp ? null : column.Std,
            timestamp ? null : Finite(column.Min),
            timestamp ? null : Finite(column.Max),
            timestamp || column.Quantiles is null ? null : column.Quantiles.ToDictionary(q => q.Label, q => q.Value, StringComparer.Ordinal),
            column.QuantileRankError,
            column.Distinct,
            column.DistinctExact ? 0 : column.DistinctRelativeError,
            column.Histogram is { } histogram ? new ClientHistogram(histogram.Edges, histogram.Counts) : null,
            column.TopValues?.Select(t => new ClientTopValue(t.Value, t.Count, t.Exact)).ToList(),
            extra.Count == 0 ? null : extra);
    }

    // JSON cannot carry infinities; those are reported as counts in Extra instead.
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static void AddTime(Dictionary<string, string> extra, string key, long? micros)
    {
        if (micros is { } value)
        {
            extra[key] = DateTimeOffset.UnixEpoch.AddTicks(value * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        }
    }
}
