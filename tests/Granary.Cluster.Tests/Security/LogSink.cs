using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Granary.Cluster.Tests.Security;

/// <summary>Keeps the warnings (and worse) a host logs, to assert on.</summary>
internal sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyList<string> Messages => [.. messages];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
            }
        }
    }
}
