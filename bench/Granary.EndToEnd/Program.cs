using Granary.EndToEnd;

// `dotnet run -c Release --project bench/Granary.EndToEnd -- [--rows N] [--features F] [--runs R] [--cache-mb M]`
// `dotnet run -c Release --project bench/Granary.EndToEnd -- --serving [--seconds S]` (needs wrk)
if (args.Contains("--serving"))
{
    await ServingBenchmark.RunAsync(args);
}
else
{
    await EndToEndBenchmark.RunAsync(args);
}
