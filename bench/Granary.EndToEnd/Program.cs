using Granary.EndToEnd;

// `dotnet run -c Release --project bench/Granary.EndToEnd -- [--rows N] [--features F] [--runs R] [--cache-mb M]`
// `dotnet run -c Release --project bench/Granary.EndToEnd -- --serving [--seconds S]` (needs wrk)
// `... -- --cluster-scaleout | --cluster-failover | --cluster-rebalance [--rows N] [--runs R]` (see ClusterBenchmark)
if (args.Contains("--core-probe"))
{
    CoreScalingProbe.RunChild(args);
}
else if (args.Contains("--serving"))
{
    await ServingBenchmark.RunAsync(args);
}
else if (args.Contains("--cluster-scaleout"))
{
    await ClusterBenchmark.ScaleOutAsync(args);
}
else if (args.Contains("--cluster-failover"))
{
    await ClusterBenchmark.FailoverAsync(args);
}
else if (args.Contains("--cluster-rebalance"))
{
    await ClusterBenchmark.RebalanceAsync(args);
}
else
{
    await EndToEndBenchmark.RunAsync(args);
}
