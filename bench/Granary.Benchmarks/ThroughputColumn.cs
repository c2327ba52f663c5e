using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Granary.Benchmarks;

/// <summary>Adds MB/s (input bytes / mean time) to the summary table.</summary>
internal sealed class ThroughputColumn(long bytes) : IColumn
{
    public string Id => "Throughput";

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Input megabytes parsed per second (mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        var mean = report?.ResultStatistics?.Mean;
        return mean is > 0 ? (bytes / 1e6 / (mean.Value / 1e9)).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
