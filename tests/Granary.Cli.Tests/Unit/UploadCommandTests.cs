using Granary.Cli.Datasets;
using Granary.Client.Models;

namespace Granary.Cli.Tests.Unit;

public sealed class UploadCommandTests
{
    [Fact]
    public void Summary_Append_ReportsSizeRateAndRows()
    {
        var version = new DatasetVersionInfo(
            "sales", 3, "append", 12_345, 345, 4096, DateTimeOffset.UnixEpoch,
            [new ColumnInfo("a", "numeric"), new ColumnInfo("b", "string")], []);

        var line = UploadCommand.Summary(append: true, "more.csv", version, 2L * 1024 * 1024, TimeSpan.FromSeconds(2));

        Assert.Equal(
            "Appended more.csv (2.0 MiB in 2.0 s, 1.0 MiB/s): sales version 3, 12,345 rows (345 added), 2 columns.",
            line);
    }
}
