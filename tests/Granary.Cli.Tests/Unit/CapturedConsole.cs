using Spectre.Console;

namespace Granary.Cli.Tests.Unit;

/// <summary>A <see cref="CliConsole"/> over string writers, as if stdin and stdout were redirected.</summary>
internal sealed class CapturedConsole : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public CapturedConsole()
    {
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        Console = new CliConsole(ansi, _out, _error, errorColor: false, outputIsTerminal: false, inputIsTerminal: false);
    }

    public CliConsole Console { get; }

    public string Output => _out.ToString();

    public string Error => _error.ToString();

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
    }
}
