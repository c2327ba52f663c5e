using Spectre.Console;

namespace Granary.Cli;

/// <summary>
/// The terminals a command writes to. Kept as one object so tests and redirected runs can swap all of
/// them together, and so commands never consult <see cref="Console"/> directly.
/// </summary>
internal sealed class CliConsole
{
    // Spectre assumes 80 columns when output is redirected, which squeezes wide tables in logs and pipes.
    private const int RedirectedWidth = 200;

    private const string Red = "\u001b[31m";
    private const string Grey = "\u001b[90m";
    private const string Reset = "\u001b[0m";

    private readonly bool _errorColor;

    public CliConsole(IAnsiConsole output, TextWriter rawOutput, TextWriter error, bool errorColor, bool outputIsTerminal, bool inputIsTerminal)
    {
        Output = output;
        RawOutput = rawOutput;
        Error = error;
        _errorColor = errorColor;
        OutputIsTerminal = outputIsTerminal;
        InputIsTerminal = inputIsTerminal;
    }

    /// <summary>Tables and progress bars.</summary>
    public IAnsiConsole Output { get; }

    /// <summary>Unformatted stdout for <c>--json</c> and summary lines: Spectre would wrap them at the console width.</summary>
    public TextWriter RawOutput { get; }

    /// <summary>Error messages; written directly so that each stays on one line however narrow the terminal.</summary>
    public TextWriter Error { get; }

    public bool OutputIsTerminal { get; }

    public bool InputIsTerminal { get; }

    public static CliConsole CreateSystem()
    {
        var output = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            output.Profile.Width = RedirectedWidth;
        }

        var errorColor = !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new CliConsole(
            output,
            Console.Out,
            Console.Error,
            errorColor,
            outputIsTerminal: !Console.IsOutputRedirected,
            inputIsTerminal: !Console.IsInputRedirected);
    }

    public void WriteError(string message) => Error.WriteLine(Paint(Red, "error: " + OneLine(message)));

    public void WriteHint(string message) => Error.WriteLine(Paint(Grey, OneLine(message)));

    private string Paint(string color, string text) => _errorColor ? color + text + Reset : text;

    // Server details can contain newlines; a one-line message keeps `2>log` greppable.
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
