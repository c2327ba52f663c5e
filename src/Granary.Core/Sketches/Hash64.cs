using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Granary.Core.Sketches;

/// <summary>
/// Deterministic 64-bit hashing, identical in every process and on every run (unlike
/// <see cref="string.GetHashCode()"/>, which is randomised per process), so HyperLogLog registers
/// computed on different nodes can be merged.
/// </summary>
internal static class Hash64
{
    private const ulong P0 = 0xa0761d6478bd642fUL;
    private const ulong P1 = 0xe7037ed1a0b428dbUL;
    private const ulong P2 = 0x8ebc6af09c88c6e3UL;
    private const ulong P3 = 0x589965cc75374cc3UL;

    /// <summary>Finaliser of MurmurHash3 (fmix64): a bijective full-avalanche mix of one 64-bit word.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= P3;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return x;
    }

    /// <summary>Hash of a double by its bit pattern; -0.0 is folded onto 0.0 so they count as one value.</summary>
    public static ulong HashDouble(double value) =>
        Mix(value == 0d ? 0UL : BitConverter.DoubleToUInt64Bits(value));

    /// <summary>Hash of a string's UTF-16 code units read little-endian (the layout on every .NET platform).</summary>
    public static ulong HashString(string value) => HashBytes(MemoryMarshal.AsBytes(value.AsSpan()));

    /// <summary>A wyhash-style hash: 16-byte blocks folded with a 64x64->128 multiply, then a final avalanche.</summary>
    public static ulong HashBytes(ReadOnlySpan<byte> data)
    {
        var length = (ulong)data.Length;
        var h = P0 ^ (length * P1);
        while (data.Length >= 16)
        {
            h = Mum(BinaryPrimitives.ReadUInt64LittleEndian(data) ^ P1, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]) ^ h ^ P2);
            data = data[16..];
        }

        ulong a = 0;
        ulong b = 0;
        if (data.Length >= 8)
        {
            a = BinaryPrimitives.ReadUInt64LittleEndian(data);
            b = ReadPartial(data[8..]);
        }
        else
        {
            a = ReadPartial(data);
        }

        h = Mum(a ^ P1, b ^ h ^ P2);
        return Mix(Mum(h ^ P3, length ^ P0));
    }

    private static ulong ReadPartial(ReadOnlySpan<byte> data)
    {
        // Little-endian read of 0..7 trailing bytes, zero padded.
        ulong value = 0;
        for (var i = data.Length - 1; i >= 0; i--)
        {
            value = (value << 8) | data[i];
        }

        return value;
    }

    private static ulong Mum(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }
}
