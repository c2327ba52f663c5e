namespace Granary.Core.Features;

/// <summary>
/// A string, boolean ("false"/"true") or numeric (invariant text, e.g. "3") column one-hot encoded: one column
/// per level, then one "other" column for any other value, missing included. Never standardised.
/// </summary>
public sealed record CategoricalFeature(string Column, string[] Levels);
