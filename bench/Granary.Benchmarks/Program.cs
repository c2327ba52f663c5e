using BenchmarkDotNet.Running;
using Granary.Benchmarks;

if (args.Contains("--sketch-throughput"))
{
    SketchThroughputCheck.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SketchThroughputCheck).Assembly).Run(args);
