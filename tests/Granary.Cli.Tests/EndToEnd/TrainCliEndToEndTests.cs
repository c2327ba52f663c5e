using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>`granary train`, `granary jobs` and `granary models` against a real node process.</summary>
[Trait("Category", "EndToEnd")]
public sealed class TrainCliEndToEndTests : IClassFixture<GranaryNodeFixture>, IDisposable
{
    private readonly GranaryNodeFixture _node;
    private readonly string _files = Directory.CreateTempSubdirectory("granary-cli-train-").FullName;

    public TrainCliEndToEndTests(GranaryNodeFixture node) => _node = node;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    [Fact]
    public async Task Train_ThenAliasAndShow_RegistersVersionWithLineage()
    {
        var csv = Path.Combine(_files, "points.csv");
        var random = new Random(9);
        var text = new StringBuilder("x,z,label\n");
        for (var i = 0; i < 3000; i++)
        {
            double x = random.NextDouble() * 4 - 2, z = random.NextDouble() * 4 - 2;
            text.Append(CultureInfo.InvariantCulture, $"{x:R},{z:R},{(x - z + (random.NextDouble() - 0.5) > 0 ? 1 : 0)}\n");
        }

        await File.WriteAllTextAsync(csv, text.ToString());
        Assert.Equal(0, (await Cli("datasets", "upload", "points", csv)).ExitCode);

        var trained = await Cli("train", "--dataset", "points", "--label", "label", "--algorithm", "logistic", "--model", "separator", "--l2", "0.001", "--validation-fraction", "0.25");
        Assert.True(trained.ExitCode == 0, trained.ToString());
        using (var job = JsonDocument.Parse(trained.Stdout))
        {
            Assert.Equal("succeeded", job.RootElement.GetProperty("state").GetString());
            Assert.Equal(1, job.RootElement.GetProperty("result").GetProperty("version").GetInt32());
        }

        Assert.Equal(0, (await Cli("models", "alias", "separator", "production", "1")).ExitCode);
        var shown = await Cli("models", "show", "separator", "--version", "1");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        using var version = JsonDocument.Parse(shown.Stdout);
        Assert.Equal("points@1", version.RootElement.GetProperty("dataset").GetString());
        Assert.Equal(["production"], version.RootElement.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.InRange(version.RootElement.GetProperty("metrics").GetProperty("validation").GetProperty("accuracy").GetDouble(), 0.75, 1.0);

        var predicted = await Cli("predict", "separator", "--row", "{\"x\": 1.5, \"z\": -1.5}", "--row", "{\"x\": -1.5, \"z\": 1.5}");
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        using (var predictions = JsonDocument.Parse(predicted.Stdout))
        {
            Assert.Equal(1, predictions.RootElement.GetProperty("version").GetInt32());
            Assert.Equal(["1", "0"], predictions.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("prediction").GetString()));
        }

        var evaluated = await Cli("evaluate", "--dataset", "points", "separator@1", "separator@production");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        using (var evaluation = JsonDocument.Parse(evaluated.Stdout))
        {
            var reports = evaluation.RootElement.GetProperty("models").EnumerateArray().ToList();
            Assert.Equal(2, reports.Count);
            Assert.InRange(reports[0].GetProperty("report").GetProperty("classification").GetProperty("rocAuc").GetDouble(), 0.8, 1.0);
        }

        var scored = await Cli("score", "separator", "--dataset", "points", "--output", "points-scored");
        Assert.True(scored.ExitCode == 0, scored.ToString());
        Assert.Equal(0, (await Cli("datasets", "show", "points-scored")).ExitCode);

        var jobs = await Cli("jobs", "list");
        Assert.Contains("succeeded", jobs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_UnknownDataset_ExitsOneWithCode()
    {
        var result = await Cli("train", "--dataset", "no-such-data", "--label", "y", "--model", "m");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dataset_not_found", result.Stderr, StringComparison.Ordinal);
    }

    private Task<CliResult> Cli(params string[] args) => GranaryProcess.RunAsync([.. args, "--url", _node.Url, "--json"]);
}
