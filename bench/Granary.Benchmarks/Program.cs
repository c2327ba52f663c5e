using BenchmarkDotNet.Running;
using Granary.Benchmarks;

if (args.Length > 0 && args[0] == "throughput")
{
    // Quick end-to-end figures without BenchmarkDotNet: `throughput <csv path> [rows]`.
    await Throughput.RunAsync(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

if (args.Length > 0 && args[0] == "phases")
{
    await PhaseProfile.RunAsync(args[1]);
    return;
}

if (args.Length > 0 && args[0] == "best")
{
    await Throughput.BestOfAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CsvIngestBenchmark).Assembly).Run(args);
