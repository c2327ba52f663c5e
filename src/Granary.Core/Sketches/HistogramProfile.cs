namespace Granary.Core.Sketches;

/// <summary>
/// Equal-width bins over the finite [min, max] of a numeric column; <see cref="Edges"/> has one more element
/// than <see cref="Counts"/>. Bins are [e_i, e_i+1) except the last, which includes max. Counts come from
/// the quantile sketch, so each cumulative count is within the quantile rank error of the truth
/// (exact when <see cref="Exact"/>, i.e. when the sketch never had to compact).
/// </summary>
public sealed record HistogramProfile(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts, bool Exact);
