using System.Buffers.Binary;
using System.Text;

namespace Granary.Core.Sketches;

/// <summary>Little-endian binary writer with LEB128 varints for the compact sketch wire format.</summary>
internal sealed class SketchWriter
{
    private byte[] _buffer;
    private int _position;

    public SketchWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_position++] = value;
    }

    public void WriteBool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteVarUInt64(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_position++] = (byte)value;
    }

    /// <summary>Zigzag varint for signed values.</summary>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    public void WriteDouble(double value) => WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt64((ulong)length);
        Ensure(length);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _position).ToArray();

    private void Ensure(int extra)
    {
        if (_position + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _position + extra));
        }
    }
}
