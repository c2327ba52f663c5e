namespace Granary.Core.Sketches;

/// <summary>
/// One estimated quantile. <see cref="Value"/> is the number (for timestamps: microseconds since the Unix
/// epoch as a double, exact within about +-285 years of 1970); <see cref="Timestamp"/> holds the exact
/// microseconds for timestamp columns.
/// </summary>
public sealed record QuantileProfile(string Label, double Probability, double Value, long? Timestamp);
