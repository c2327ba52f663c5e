namespace Granary.Core.Data;

/// <summary>The logical type of a dataset column.</summary>
public enum ColumnType
{
    /// <summary>A floating-point number (stored as 64-bit float; missing = NaN in memory, null in Parquet).</summary>
    Numeric,

    /// <summary>true/false (missing = null).</summary>
    Boolean,

    /// <summary>Free text or a categorical level (missing = null).</summary>
    String,

    /// <summary>A point in time, UTC, microsecond precision (missing = null).</summary>
    Timestamp,
}
