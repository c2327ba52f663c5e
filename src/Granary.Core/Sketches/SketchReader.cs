using System.Buffers.Binary;
using System.Text;

namespace Granary.Core.Sketches;

/// <summary>Reader for the format written by <see cref="SketchWriter"/>; throws <see cref="InvalidDataException"/> on malformed input.</summary>
internal ref struct SketchReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public SketchReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _data.Length;

    public byte ReadByte()
    {
        Require(1);
        return _data[_position++];
    }

    public bool ReadBool() => ReadByte() != 0;

    public ulong ReadVarUInt64()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("Malformed varint in sketch.");
    }

    public long ReadVarInt64()
    {
        var raw = ReadVarUInt64();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>A non-negative count that must fit an int and the remaining input (guards against hostile sizes).</summary>
    public int ReadCount(int bytesPerItem = 1)
    {
        var value = ReadVarUInt64();
        if (value > int.MaxValue || (long)value * Math.Max(1, bytesPerItem) > _data.Length - _position)
        {
            throw new InvalidDataException("Sketch count exceeds the remaining data.");
        }

        return (int)value;
    }

    public ulong ReadUInt64()
    {
        Require(8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    public double ReadDouble() => BitConverter.UInt64BitsToDouble(ReadUInt64());

    public string ReadString()
    {
        var length = ReadCount();
        var value = Encoding.UTF8.GetString(_data.Slice(_position, length));
        _position += length;
        return value;
    }

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        Require(length);
        var value = _data.Slice(_position, length);
        _position += length;
        return value;
    }

    private readonly void Require(int length)
    {
        if (length < 0 || _position + length > _data.Length)
        {
            throw new InvalidDataException("Sketch data is truncated.");
        }
    }
}
