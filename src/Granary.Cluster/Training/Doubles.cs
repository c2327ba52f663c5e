using System.Runtime.InteropServices;

namespace Granary.Cluster.Training;

/// <summary>doubles ↔ bytes for grain messages (little-endian, as every supported platform is).</summary>
public static class Doubles
{
    public static byte[] ToBytes(ReadOnlySpan<double> values) => MemoryMarshal.AsBytes(values).ToArray();

    public static double[] FromBytes(byte[] bytes) => MemoryMarshal.Cast<byte, double>(bytes).ToArray();
}
