namespace Granary.Client.Models;

/// <summary><c>GET /v1/datasets/{name}/profile</c>: per-column statistics of one version.</summary>
public sealed record DatasetProfile(
    string Name,
    int Version,
    long Rows,
    DateTimeOffset ComputedAt,
    double Seconds,
    IReadOnlyList<ColumnProfile> Columns);

/// <summary>
/// Statistics of one column. Quantiles are approximate: the true rank of each reported value is within
/// <c>QuantileRankError</c> (a fraction of the count) of the requested rank. <c>Distinct</c> is a
/// HyperLogLog estimate with the stated relative standard error. Numeric summaries are null for
/// string columns; timestamps report min/max/quantiles as ISO 8601 strings in <c>Extra</c>.
/// </summary>
public sealed record ColumnProfile(
    string Name,
    string Type,
    long Count,
    long Missing,
    double? Mean,
    double? Std,
    double? Min,
    double? Max,
    IReadOnlyDictionary<string, double>? Quantiles,
    double? QuantileRankError,
    long Distinct,
    double DistinctRelativeError,
    Histogram? Histogram,
    IReadOnlyList<TopValue>? TopValues,
    IReadOnlyDictionary<string, string>? Extra);

/// <summary>Equal-width bins: <c>Edges</c> has one more element than <c>Counts</c>.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);

/// <summary>A frequent value and its count (exact when <c>Exact</c>, else a lower bound).</summary>
public sealed record TopValue(string Value, long Count, bool Exact);
