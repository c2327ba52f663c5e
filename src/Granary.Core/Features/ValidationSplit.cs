namespace Granary.Core.Features;

/// <summary>
/// Holds out the rows whose uniform draw falls in [<paramref name="Lower"/>, <paramref name="Fraction"/>): about
/// Fraction − Lower of them (Lower is 0 for a plain split; fold k of K uses [k/K, (k+1)/K), so the folds
/// partition the rows). A row's draw depends only on a hash of (Seed, Salt, row index); Salt tells chunks
/// apart, so the split is the same on every run and every node without coordination.
/// </summary>
public sealed record ValidationSplit(double Fraction, int Seed, ulong Salt, double Lower = 0)
{
    /// <summary>True when the row belongs to the validation side.</summary>
    public bool IsValidation(long row) => Contains(Uniform(Prefix(), row));

    internal bool Contains(double draw) => draw >= Lower && draw < Fraction;

    internal ulong Prefix() => Mix(Mix((ulong)(uint)Seed) ^ Salt);

    /// <summary>A uniform draw in [0, 1) from the top 53 bits of the mixed hash.</summary>
    internal static double Uniform(ulong prefix, long row) =>
        (Mix(prefix + (ulong)row) >> 11) * (1.0 / (1UL << 53));

    /// <summary>SplitMix64 finaliser: a cheap, well-distributed 64-bit mix.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
