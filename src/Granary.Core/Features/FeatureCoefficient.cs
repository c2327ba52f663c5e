namespace Granary.Core.Features;

/// <summary>One coefficient on the original feature scale; Class is null for single-block models.</summary>
public sealed record FeatureCoefficient(string? Class, string Feature, double Value);
