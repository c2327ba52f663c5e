using System.Text.Json;

namespace Granary.Cluster.Training;

/// <summary>
/// A train job's checkpoint: the plan it was running (so a resume never re-plans), the cross-validation
/// results if any (so a resume never repeats the folds) and the coordinator's bytes.
/// </summary>
public static class RunnerCheckpoint
{
    public static byte[] Write(TrainingPlan plan, byte[] coordinator, string? crossValidation = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(JsonSerializer.Serialize(plan));
            writer.Write(crossValidation ?? string.Empty);
            writer.Write(coordinator.Length);
            writer.Write(coordinator);
        }

        return buffer.ToArray();
    }

    public static (TrainingPlan Plan, byte[] Coordinator, string? CrossValidation) Read(byte[] checkpoint)
    {
        using var reader = new BinaryReader(new MemoryStream(checkpoint));
        var plan = JsonSerializer.Deserialize<TrainingPlan>(reader.ReadString()) ?? throw new InvalidDataException("Empty training plan in checkpoint.");
        var crossValidation = reader.ReadString();
        return (plan, reader.ReadBytes(reader.ReadInt32()), crossValidation.Length == 0 ? null : crossValidation);
    }
}
