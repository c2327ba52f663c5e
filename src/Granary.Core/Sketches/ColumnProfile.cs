using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>
/// Statistics of one column, computed from merged <see cref="ColumnSketch"/>es.
/// Exact regardless of chunking: counts, missing, min, max, true/false counts, mean and std (up to
/// floating-point rounding), and top values while <see cref="TopValuesExact"/>.
/// Approximate: quantiles and histogram counts (rank error at most <see cref="QuantileRankError"/> x Count
/// with probability 1 - 1e-6 per quantile; 0 means exact) and <see cref="Distinct"/> (exact while
/// <see cref="DistinctExact"/>, otherwise a HyperLogLog estimate with relative standard error
/// <see cref="DistinctRelativeError"/>).
/// Infinities (numeric): ±Infinity are values, not missing. They count in <see cref="Count"/>, Min/Max,
/// quantiles and Distinct, but are excluded from Mean/Std (which cover finite values only, so one infinity
/// does not erase them) and from the histogram (which spans the finite range); their numbers are reported
/// in <see cref="PositiveInfinityCount"/> and <see cref="NegativeInfinityCount"/>.
/// </summary>
public sealed record ColumnProfile
{
    public required string Name { get; init; }

    public required ColumnType Type { get; init; }

    /// <summary>Non-missing values.</summary>
    public required long Count { get; init; }

    public required long Missing { get; init; }

    /// <summary>Mean of the finite values (numeric only).</summary>
    public double? Mean { get; init; }

    /// <summary>Sample standard deviation (n - 1) of the finite values (numeric only; null below two).</summary>
    public double? Std { get; init; }

    /// <summary>Smallest value including -Infinity (numeric only; see <see cref="MinTimestamp"/>).</summary>
    public double? Min { get; init; }

    /// <summary>Largest value including +Infinity (numeric only).</summary>
    public double? Max { get; init; }

    /// <summary>Smallest finite value (numeric only): the histogram's lower edge.</summary>
    public double? FiniteMin { get; init; }

    /// <summary>Largest finite value (numeric only): the histogram's upper edge.</summary>
    public double? FiniteMax { get; init; }

    /// <summary>Earliest timestamp, microseconds since the Unix epoch (timestamp only).</summary>
    public long? MinTimestamp { get; init; }

    /// <summary>Latest timestamp, microseconds since the Unix epoch (timestamp only).</summary>
    public long? MaxTimestamp { get; init; }

    /// <summary>p1, p5, p10, p25, p50, p75, p90, p95, p99 (numeric and timestamp; null when no values).</summary>
    public IReadOnlyList<QuantileProfile>? Quantiles { get; init; }

    /// <summary>Bound on the rank error of each quantile as a fraction of <see cref="Count"/>.</summary>
    public double? QuantileRankError { get; init; }

    public required long Distinct { get; init; }

    public required bool DistinctExact { get; init; }

    /// <summary>Relative standard error of <see cref="Distinct"/> (0 when exact).</summary>
    public required double DistinctRelativeError { get; init; }

    /// <summary>20 equal-width bins (numeric only; one bin when all finite values are equal).</summary>
    public HistogramProfile? Histogram { get; init; }

    /// <summary>Up to 10 most frequent values (string and boolean only).</summary>
    public IReadOnlyList<TopValueProfile>? TopValues { get; init; }

    /// <summary>True when every top-value count is exact and no other value could outrank them.</summary>
    public bool TopValuesExact { get; init; }

    /// <summary>How far below the truth any top-value count may be (0 when exact).</summary>
    public long TopValuesMaxError { get; init; }

    public long? TrueCount { get; init; }

    public long? FalseCount { get; init; }

    public long PositiveInfinityCount { get; init; }

    public long NegativeInfinityCount { get; init; }
}
