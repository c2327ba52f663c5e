using System.Net;
using System.Net.Sockets;

namespace Granary.Cli.Tests.Unit;

public sealed class CliInvokerTests
{
    [Theory]
    [InlineData("datasets")]
    [InlineData("datasets", "show")]
    [InlineData("datasets", "upload", "x", "data.csv", "--type", "price")]
    [InlineData("datasets", "upload", "x", "data.csv", "--delimiter", ";;")]
    [InlineData("datasets", "preview", "x", "--limit", "0")]
    [InlineData("datasets", "show", "x", "--version", "abc")]
    [InlineData("datasets", "preview", "x", "--limit", "many")]
    [InlineData("datasets", "show", "x", "--version", "-1")]
    [InlineData("no-such-command")]
    public async Task InvokeAsync_UsageError_ExitsTwoWithHint(params string[] args)
    {
        using var console = new CapturedConsole();

        var exitCode = await CliInvoker.InvokeAsync(Program.CreateRootCommand(), args, console.Console);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("error:", console.Error, StringComparison.Ordinal);
        Assert.Contains("--help' for usage", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TypeOptionRepeatedAfterArguments_CollectsAll()
    {
        var result = Program.CreateRootCommand().Parse(
            ["datasets", "upload", "sales", "s.csv", "--type", "a:numeric", "-t", "b:string", "--url", "http://h:1", "--json"]);

        Assert.Empty(result.Errors);
        Assert.Equal("http://h:1", result.GetValue(GlobalOptions.Url));
        Assert.True(result.GetValue(GlobalOptions.Json));
        Assert.Equal(["a:numeric", "b:string"], result.GetValue<string[]>("--type")!);
    }

    [Fact]
    public void Parse_VersionOnSubcommand_IsTheDatasetVersion()
    {
        var result = Program.CreateRootCommand().Parse(["datasets", "show", "sales", "--version", "3"]);

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.GetValue<int?>("--version"));
    }

    [Fact]
    public async Task InvokeAsync_DeleteWithoutYesAndRedirectedStdin_RefusesWithExitTwo()
    {
        using var console = new CapturedConsole();

        var exitCode = await CliInvoker.InvokeAsync(
            Program.CreateRootCommand(), ["datasets", "delete", "sales", "--url", "http://127.0.0.1:1"], console.Console);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("Pass --yes", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NothingListening_ExitsThreeAndMentionsServe()
    {
        var url = $"http://127.0.0.1:{UnusedPort()}";
        using var console = new CapturedConsole();

        var exitCode = await CliInvoker.InvokeAsync(Program.CreateRootCommand(), ["datasets", "list", "--url", url], console.Console);

        Assert.Equal(ExitCodes.CannotConnect, exitCode);
        Assert.Contains($"The Granary server at {url}/ is not reachable", console.Error, StringComparison.Ordinal);
        Assert.Contains("granary serve", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_UploadMissingFile_ExitsTwo()
    {
        using var console = new CapturedConsole();
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv");

        var exitCode = await CliInvoker.InvokeAsync(Program.CreateRootCommand(), ["datasets", "upload", "x", missing], console.Console);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("File not found", console.Error, StringComparison.Ordinal);
    }

    // Binding port 0 and releasing it yields a port that nothing listens on (for the moment, which suffices).
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
