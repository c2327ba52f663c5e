using System.Text.Json;
using Granary.Cli.Output;
using Granary.Client.Models;

namespace Granary.Cli.Tests.Unit;

public sealed class ModelsCommandTests
{
    [Theory]
    [InlineData("models", "show")]
    [InlineData("models", "alias", "churn", "production")]
    [InlineData("models", "alias", "churn", "production", "x")]
    [InlineData("models", "alias", "churn", "production", "0")]
    [InlineData("models", "unalias", "churn")]
    [InlineData("models", "delete-version", "churn")]
    [InlineData("models", "delete-version", "churn", "-2")]
    [InlineData("models", "show", "churn", "--version", "0")]
    public async Task InvokeAsync_UsageError_ExitsTwo(params string[] args)
    {
        using var console = new CapturedConsole();

        var exitCode = await CliInvoker.InvokeAsync(Program.CreateRootCommand(), args, console.Console);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("error:", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Alias_ReadsNameAliasAndVersion()
    {
        var result = Program.CreateRootCommand().Parse(["models", "alias", "churn", "production", "3", "--json"]);

        Assert.Empty(result.Errors);
        Assert.Equal("churn", result.GetValue<string>("name"));
        Assert.Equal("production", result.GetValue<string>("alias"));
        Assert.Equal(3, result.GetValue<int>("version"));
        Assert.True(result.GetValue(GlobalOptions.Json));
    }

    [Fact]
    public void Parse_ShowWithVersionAndDeleteWithYes_NoErrors()
    {
        var show = Program.CreateRootCommand().Parse(["models", "show", "churn", "--version", "2"]);
        var delete = Program.CreateRootCommand().Parse(["models", "delete-version", "churn", "2", "--yes"]);

        Assert.Empty(show.Errors);
        Assert.Equal(2, show.GetValue<int?>("--version"));
        Assert.Empty(delete.Errors);
        Assert.True(delete.GetValue<bool>("--yes"));
    }

    [Fact]
    public async Task InvokeAsync_DeleteVersionWithoutYesAndRedirectedStdin_RefusesWithExitTwo()
    {
        using var console = new CapturedConsole();

        var exitCode = await CliInvoker.InvokeAsync(
            Program.CreateRootCommand(), ["models", "delete-version", "churn", "2", "--url", "http://127.0.0.1:1"], console.Console);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("Pass --yes", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionTable_WithCoefficients_ShowsParametersMetricsAndCoefficients()
    {
        using var console = new CapturedConsole();
        var info = new ModelVersionInfo("churn", 2, "logistic", "sales@3", "j1",
            Json("""{"l2":0.1}"""), Json("[]"), Json("""{"train":{"auc":0.95},"validation":{"auc":0.9}}"""), Json("[0.5]"),
            "models/churn/2.json", Json("""{"coefficients":{"tenure":-0.75},"intercept":0.25}"""), ["production"], DateTimeOffset.UnixEpoch);

        console.Console.Output.Write(ModelTables.Version(info));

        foreach (var expected in (string[])["Parameters", "l2", "validation.auc", "Coefficients", "tenure", "-0.75", "(intercept)", "sales@3", "production"])
        {
            Assert.Contains(expected, console.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ModelTable_VersionsAliasesAndHistory_AllShown()
    {
        using var console = new CapturedConsole();
        var info = new ModelInfo("churn", 2,
            [new ModelVersionSummary(1, "logistic", "sales@3", Json("""{"auc":0.875}"""), DateTimeOffset.UnixEpoch)],
            [new ModelAlias("production", 1, DateTimeOffset.UnixEpoch, "ci-bot")],
            [new ModelAliasChangeInfo("production", null, 1, DateTimeOffset.UnixEpoch, "ci-bot")],
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        console.Console.Output.Write(ModelTables.Model(info));

        foreach (var expected in (string[])["Versions", "sales@3", "auc=0.875", "Aliases", "Alias history", "ci-bot"])
        {
            Assert.Contains(expected, console.Output, StringComparison.Ordinal);
        }
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
