using System.Text.Json;

namespace Granary.Cluster.Training;

/// <summary>A train job's checkpoint: the plan it was running (so a resume never re-plans) and the coordinator's bytes.</summary>
public static class RunnerCheckpoint
{
    public static byte[] Write(TrainingPlan plan, byte[] coordinator)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(JsonSerializer.Serialize(plan));
            writer.Write(coordinator.Length);
            writer.Write(coordinator);
        }

        return buffer.ToArray();
    }

    public static (TrainingPlan Plan, byte[] Coordinator) Read(byte[] checkpoint)
    {
        using var reader = new BinaryReader(new MemoryStream(checkpoint));
        var plan = JsonSerializer.Deserialize<TrainingPlan>(reader.ReadString()) ?? throw new InvalidDataException("Empty training plan in checkpoint.");
        return (plan, reader.ReadBytes(reader.ReadInt32()));
    }
}
