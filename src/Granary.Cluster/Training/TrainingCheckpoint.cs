using Granary.Core.Optimization;

namespace Granary.Cluster.Training;

/// <summary>The bytes a training job checkpoints after each iteration: the optimiser state and the loss curves so far.</summary>
public static class TrainingCheckpoint
{
    private const byte Version = 1;

    public static byte[] Write(OptimizerState state, IReadOnlyList<double> curve, IReadOnlyList<double> validationCurve)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(Version);
            writer.Write(curve.Count);
            foreach (var value in curve)
            {
                writer.Write(value);
            }

            foreach (var value in validationCurve)
            {
                writer.Write(value);
            }

            var optimizer = state.Serialize();
            writer.Write(optimizer.Length);
            writer.Write(optimizer);
        }

        return buffer.ToArray();
    }

    public static (OptimizerState State, List<double> Curve, List<double> ValidationCurve) Read(byte[] checkpoint)
    {
        using var reader = new BinaryReader(new MemoryStream(checkpoint));
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException("Unknown training checkpoint version.");
        }

        var count = reader.ReadInt32();
        var curve = new List<double>(count);
        var validation = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            curve.Add(reader.ReadDouble());
        }

        for (var i = 0; i < count; i++)
        {
            validation.Add(reader.ReadDouble());
        }

        var optimizer = reader.ReadBytes(reader.ReadInt32());
        return (OptimizerState.Deserialize(optimizer), curve, validation);
    }
}
