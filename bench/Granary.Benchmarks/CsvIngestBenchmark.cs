using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Granary.Core.Ingest;

namespace Granary.Benchmarks;

/// <summary>CSV parse throughput on an in-memory 100k x 33 numeric file (MB/s = bytes / mean time).</summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class CsvIngestBenchmark
{
    public const int Rows = 100_000;
    public const int Features = 32;

    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        _csv = CsvData.Generate(Rows, Features);
        Console.WriteLine($"// CSV size: {_csv.Length / 1e6:F1} MB");
    }

    [Benchmark]
    public async Task<long> ParseCsv()
    {
        long rows = 0;
        await foreach (var frame in new CsvTabularReader().ReadAsync(new MemoryStream(_csv), new IngestOptions(), CancellationToken.None))
        {
            rows += frame.RowCount;
        }

        return rows;
    }

    private sealed class Config : ManualConfig
    {
        // The data is deterministic, so its size is known here without running the setup.
        public Config() => AddColumn(new ThroughputColumn(CsvData.Generate(Rows, Features).LongLength));
    }
}
