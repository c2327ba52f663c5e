using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace Granary.Core.Sketches;

/// <summary>
/// HyperLogLog distinct counter, precision 14 (16,384 one-byte registers, relative standard error
/// 1.04/sqrt(16384) = 0.81%). Until more than <see cref="ExactLimit"/> distinct hashes are seen it keeps the
/// hashes themselves, so small cardinalities are exact (up to 64-bit hash collisions). The dense estimate
/// uses Ertl's improved estimator (2017), which is unbiased from tiny to huge cardinalities without
/// empirical bias tables or a linear-counting switch-over.
/// </summary>
internal sealed class HyperLogLog
{
    public const int Precision = 14;
    public const int ExactLimit = 512;
    private const int RegisterCount = 1 << Precision;
    private const int Q = 64 - Precision;
    private const int TableSize = 1024; // open addressing, at most half full
    private const ulong ZeroSubstitute = 0x9E3779B97F4A7C15UL;

    private ulong[]? _table = new ulong[TableSize];
    private int _tableCount;
    private byte[]? _registers;

    /// <summary>Relative standard error of the dense estimate.</summary>
    public static double RelativeStandardError => 1.04 / Math.Sqrt(RegisterCount);

    /// <summary>True while the count is exact (the distinct hashes are still held).</summary>
    public bool IsExact => _registers is null;

    public void Add(ulong hash)
    {
        if (_registers is not null)
        {
            AddDense(_registers, hash);
            return;
        }

        AddExact(hash);
    }

    /// <summary>Adds a batch of hashes; the dense part runs as one tight loop without per-value calls.</summary>
    public void AddMany(ReadOnlySpan<ulong> hashes)
    {
        var i = 0;
        while (_registers is null && i < hashes.Length)
        {
            AddExact(hashes[i++]);
        }

        if (i == hashes.Length)
        {
            return;
        }

        // Unchecked indexing: the index is the top 14 bits of a 64-bit hash, always below RegisterCount.
        ref var registers = ref MemoryMarshal.GetArrayDataReference(_registers!);
        foreach (var hash in hashes[i..])
        {
            ref var register = ref Unsafe.Add(ref registers, (int)(hash >> Q));
            var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
            if (rank > register)
            {
                register = rank;
            }
        }
    }

    public void Merge(HyperLogLog other)
    {
        if (other._registers is null)
        {
            foreach (var hash in other._table!)
            {
                if (hash != 0)
                {
                    Add(hash);
                }
            }

            return;
        }

        var registers = ToDense();
        TensorPrimitives.Max(registers, other._registers, registers);
    }

    public long Estimate()
    {
        if (_registers is null)
        {
            return _tableCount;
        }

        Span<int> histogram = stackalloc int[Q + 2];
        foreach (var register in _registers)
        {
            histogram[register]++;
        }

        // Ertl, "New cardinality estimation algorithms for HyperLogLog sketches", algorithm 6.
        const double m = RegisterCount;
        var z = m * Tau(1 - (histogram[Q + 1] / m));
        for (var k = Q; k >= 1; k--)
        {
            z = 0.5 * (z + histogram[k]);
        }

        z += m * Sigma(histogram[0] / m);
        return (long)Math.Round(m * m / (2 * Math.Log(2)) / z);
    }

    public void Write(SketchWriter writer)
    {
        if (_registers is null)
        {
            writer.WriteByte(0);
            var hashes = new ulong[_tableCount];
            var n = 0;
            foreach (var hash in _table!)
            {
                if (hash != 0)
                {
                    hashes[n++] = hash;
                }
            }

            Array.Sort(hashes);
            writer.WriteVarUInt64((ulong)n);
            foreach (var hash in hashes)
            {
                writer.WriteUInt64(hash);
            }
        }
        else
        {
            writer.WriteByte(1);
            writer.WriteBytes(_registers);
        }
    }

    public static HyperLogLog Read(ref SketchReader reader)
    {
        var hll = new HyperLogLog();
        var mode = reader.ReadByte();
        if (mode == 0)
        {
            var n = reader.ReadCount(8);
            if (n > ExactLimit)
            {
                throw new InvalidDataException("Too many exact hashes in a distinct-count sketch.");
            }

            for (var i = 0; i < n; i++)
            {
                hll.AddExact(reader.ReadUInt64());
            }
        }
        else if (mode == 1)
        {
            var registers = reader.ReadBytes(RegisterCount);
            foreach (var register in registers)
            {
                if (register > Q + 1)
                {
                    throw new InvalidDataException("Invalid register in a distinct-count sketch.");
                }
            }

            hll._table = null;
            hll._registers = registers.ToArray();
        }
        else
        {
            throw new InvalidDataException("Unknown distinct-count sketch mode.");
        }

        return hll;
    }

    private static void AddDense(byte[] registers, ulong hash)
    {
        var index = (int)(hash >> Q);
        // Leading zeros of the remaining 50 bits plus one; the guard bit caps the value at Q + 1.
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        if (rank > registers[index])
        {
            registers[index] = rank;
        }
    }

    private void AddExact(ulong hash)
    {
        if (hash == 0)
        {
            hash = ZeroSubstitute; // 0 marks an empty slot
        }

        var table = _table!;
        var slot = (int)(hash >> (64 - 10)) & (TableSize - 1);
        while (true)
        {
            var current = table[slot];
            if (current == hash)
            {
                return;
            }

            if (current == 0)
            {
                break;
            }

            slot = (slot + 1) & (TableSize - 1);
        }

        table[slot] = hash;
        _tableCount++;
        if (_tableCount > ExactLimit)
        {
            ToDense();
        }
    }

    private byte[] ToDense()
    {
        if (_registers is not null)
        {
            return _registers;
        }

        var registers = new byte[RegisterCount];
        foreach (var hash in _table!)
        {
            if (hash != 0)
            {
                AddDense(registers, hash);
            }
        }

        _registers = registers;
        _table = null;
        _tableCount = 0;
        return registers;
    }

    private static double Sigma(double x)
    {
        if (x == 1)
        {
            return double.PositiveInfinity;
        }

        var y = 1.0;
        var z = x;
        while (true)
        {
            x *= x;
            var previous = z;
            z += x * y;
            y += y;
            if (z == previous)
            {
                return z;
            }
        }
    }

    private static double Tau(double x)
    {
        if (x == 0 || x == 1)
        {
            return 0;
        }

        var y = 1.0;
        var z = 1 - x;
        while (true)
        {
            x = Math.Sqrt(x);
            var previous = z;
            y *= 0.5;
            z -= Math.Pow(1 - x, 2) * y;
            if (z == previous)
            {
                return z / 3;
            }
        }
    }
}
