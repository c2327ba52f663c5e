using System.Globalization;
using BenchmarkDotNet.Running;
using Granary.Benchmarks;

switch (args.FirstOrDefault())
{
    case "throughput":
        // Quick reader/codec figures without BenchmarkDotNet: `throughput <csv path> [rows]`.
        await Throughput.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
        break;
    case "phases":
        await PhaseProfile.RunAsync(args[1]);
        break;
    case "best":
        await Throughput.BestOfAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
        break;
    case "sketch-throughput":
        SketchThroughputCheck.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7);
        break;
    case "linear-check":
        LinearCheck.Run(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000,
            args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32);
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(CsvIngestBenchmark).Assembly).Run(args);
        break;
}
