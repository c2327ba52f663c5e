namespace Granary.Core.Sketches;

/// <summary>A frequent value and its count: exact when <see cref="Exact"/>, otherwise a lower bound.</summary>
public sealed record TopValueProfile(string Value, long Count, bool Exact);
