namespace Granary.Core.Sketches;

/// <summary>The profile of a whole dataset: its row count and one profile per column, in schema order.</summary>
public sealed record DatasetProfileResult(long Rows, IReadOnlyList<ColumnProfile> Columns);
