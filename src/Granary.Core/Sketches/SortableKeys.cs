using System.Numerics;

namespace Granary.Core.Sketches;

/// <summary>
/// Order-preserving maps from doubles and longs to unsigned 64-bit keys, so one quantile sketch and one
/// radix sort serve numeric and timestamp columns alike.
/// </summary>
internal static class SortableKeys
{
    private const ulong SignBit = 0x8000_0000_0000_0000UL;

    /// <summary>Key of -0.0; adjacent to (and just below) the key of 0.0.</summary>
    public const ulong NegativeZeroKey = ~SignBit;

    public static ulong FromDouble(double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        return (bits & SignBit) != 0 ? ~bits : bits | SignBit;
    }

    public static double ToDouble(ulong key) =>
        BitConverter.UInt64BitsToDouble((key & SignBit) != 0 ? key & ~SignBit : ~key);

    public static ulong FromInt64(long value) => (ulong)value ^ SignBit;

    public static long ToInt64(ulong key) => (long)(key ^ SignBit);

    /// <summary>Converts NaN-free doubles to keys, a vector at a time.</summary>
    public static void FromDoubles(ReadOnlySpan<double> source, Span<ulong> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var sign = new Vector<ulong>(SignBit);
            for (; i <= source.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var bits = Vector.AsVectorUInt64(new Vector<double>(source[i..]));
                // Negative: flip all bits; positive: flip the sign bit only.
                var mask = Vector.AsVectorUInt64(Vector.ShiftRightArithmetic(Vector.AsVectorInt64(bits), 63)) | sign;
                (bits ^ mask).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = FromDouble(source[i]);
        }
    }

    /// <summary>Converts timestamps without missing values to keys, a vector at a time.</summary>
    public static void FromInt64s(ReadOnlySpan<long> source, Span<ulong> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var sign = new Vector<ulong>(SignBit);
            for (; i <= source.Length - Vector<long>.Count; i += Vector<long>.Count)
            {
                (Vector.AsVectorUInt64(new Vector<long>(source[i..])) ^ sign).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = FromInt64(source[i]);
        }
    }
}
