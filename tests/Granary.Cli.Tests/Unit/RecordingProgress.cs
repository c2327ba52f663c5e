namespace Granary.Cli.Tests.Unit;

/// <summary>Synchronous progress sink; <see cref="Progress{T}"/> would report on the thread pool, after the call returns.</summary>
internal sealed class RecordingProgress : IProgress<long>
{
    public List<long> Values { get; } = [];

    public void Report(long value) => Values.Add(value);
}
