using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Granary.Core.Sketches;

/// <summary>
/// LSD radix sort of 64-bit keys (six 11-bit digits). Linear time, so sorting a whole chunk before
/// feeding the quantile sketch costs a few nanoseconds per value instead of a comparison sort's n log n.
/// </summary>
internal static class RadixSort
{
    private const int Bits = 11;
    private const int Buckets = 1 << Bits;
    private const int Mask = Buckets - 1;
    private const int Digits = 6;

    /// <summary>Sorts <paramref name="keys"/> in place; <paramref name="scratch"/> must be at least as long.</summary>
    public static void Sort(Span<ulong> keys, Span<ulong> scratch)
    {
        var n = keys.Length;
        if (n < 512)
        {
            keys.Sort();
            return;
        }

        var counts = ArrayPool<int>.Shared.Rent(Digits * Buckets);
        try
        {
            var histogram = counts.AsSpan(0, Digits * Buckets);
            histogram.Clear();
            // Unchecked indexing: every index is masked to its digit's 2048-entry slice.
            ref var h = ref MemoryMarshal.GetArrayDataReference(counts);
            foreach (var key in keys)
            {
                Unsafe.Add(ref h, (int)(key & Mask))++;
                Unsafe.Add(ref h, Buckets + (int)((key >> 11) & Mask))++;
                Unsafe.Add(ref h, (2 * Buckets) + (int)((key >> 22) & Mask))++;
                Unsafe.Add(ref h, (3 * Buckets) + (int)((key >> 33) & Mask))++;
                Unsafe.Add(ref h, (4 * Buckets) + (int)((key >> 44) & Mask))++;
                Unsafe.Add(ref h, (5 * Buckets) + (int)(key >> 55))++;
            }

            var source = keys;
            var destination = scratch[..n];
            for (var digit = 0; digit < Digits; digit++)
            {
                var offsets = histogram.Slice(digit * Buckets, Buckets);
                if (!ToOffsets(offsets, n))
                {
                    continue; // every key has the same digit here: the pass would not move anything
                }

                var shift = digit * Bits;
                ref var offset = ref MemoryMarshal.GetReference(offsets);
                ref var target = ref MemoryMarshal.GetReference(destination);
                // Offsets are prefix sums of exact counts, so every write lands inside destination[0, n).
                foreach (var key in source)
                {
                    Unsafe.Add(ref target, Unsafe.Add(ref offset, (int)((key >> shift) & Mask))++) = key;
                }

                var swap = source;
                source = destination;
                destination = swap;
            }

            if (source != keys)
            {
                source.CopyTo(keys);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>Turns counts into start offsets; false when one bucket holds all keys.</summary>
    private static bool ToOffsets(Span<int> counts, int n)
    {
        var sum = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var count = counts[i];
            if (count == n)
            {
                return false;
            }

            counts[i] = sum;
            sum += count;
        }

        return true;
    }
}
