namespace Granary.Cli.Tests.EndToEnd;

/// <summary>The outcome of one CLI process run.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
