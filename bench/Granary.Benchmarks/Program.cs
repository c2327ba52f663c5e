using BenchmarkDotNet.Running;
using Granary.Benchmarks;
using Granary.Benchmarks.EndToEnd;

switch (args.FirstOrDefault())
{
    case "e2e":
        // The end-to-end benchmark against a real node process; prints JSON lines.
        await EndToEndBenchmark.RunAsync(args[1..]);
        break;
    case "throughput":
        // Quick reader/codec figures without BenchmarkDotNet: `throughput <csv path> [rows]`.
        await Throughput.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
        break;
    case "sketch-throughput":
        SketchThroughputCheck.Run();
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(CsvIngestBenchmark).Assembly).Run(args);
        break;
}
