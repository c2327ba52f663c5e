using BenchmarkDotNet.Attributes;
using Granary.Core.Ingest;

namespace Granary.Benchmarks;

/// <summary>CSV parse throughput on an in-memory 100k x 33 numeric file (MB/s = bytes / mean time).</summary>
[MemoryDiagnoser]
public class CsvIngestBenchmark
{
    private byte[] _csv = [];

    [GlobalSetup]
    public void Setup()
    {
        _csv = CsvData.Generate(100_000, 32);
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
}
