namespace Granary.Core.Features;

/// <summary>
/// A numeric, boolean (0/1) or timestamp (microseconds) column used as one feature. Missing values are imputed
/// with <paramref name="Mean"/>; then, when <paramref name="Standardize"/> and <paramref name="Std"/> &gt; 0,
/// the value becomes (v − Mean) / Std. Mean and Std come from the dataset profile, so every chunk agrees.
/// </summary>
public sealed record NumericFeature(string Column, double Mean, double Std, bool Standardize = true)
{
    /// <summary>True when the encoder rescales this feature.</summary>
    public bool IsScaled => Standardize && Std > 0 && double.IsFinite(Std);
}
