using BenchmarkDotNet.Running;
using Granary.Benchmarks;

// `--sketch-throughput [repetitions]` runs the Stopwatch check; anything else goes to BenchmarkDotNet.
var throughput = Array.IndexOf(args, "--sketch-throughput");
if (throughput >= 0)
{
    SketchThroughputCheck.Run(args.Length > throughput + 1 && int.TryParse(args[throughput + 1], out var repetitions) ? repetitions : 7);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SketchThroughputCheck).Assembly).Run(args);
