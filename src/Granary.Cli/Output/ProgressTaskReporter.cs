using Spectre.Console;

namespace Granary.Cli.Output;

/// <summary>
/// Feeds byte counts straight into a Spectre task. <see cref="Progress{T}"/> is not used because it posts to
/// the thread pool, where reports can arrive out of order and after the upload finished.
/// </summary>
internal sealed class ProgressTaskReporter : IProgress<long>
{
    private readonly ProgressTask? _task;
    private readonly string _doneDescription;
    private long _bytesSent;

    public ProgressTaskReporter(ProgressTask? task, string doneDescription)
    {
        _task = task;
        _doneDescription = doneDescription;
    }

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public void Report(long value)
    {
        Interlocked.Exchange(ref _bytesSent, value);
        if (_task is null)
        {
            return;
        }

        _task.Value = value;
        if (value >= _task.MaxValue)
        {
            // The node still parses and stores the file after the last byte; say so rather than sit at 100 %.
            _task.Description = _doneDescription;
        }
    }
}
