namespace Granary.Core.Evaluation;

/// <summary>One residual-histogram bin [Lower, Upper); the underflow bin has a null Lower, the overflow bin a null Upper (JSON has no ∞).</summary>
public sealed record HistogramBinReport(double? Lower, double? Upper, double Weight);
