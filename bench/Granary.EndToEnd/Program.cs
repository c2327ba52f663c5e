using Granary.EndToEnd;

// `dotnet run -c Release --project bench/Granary.EndToEnd -- [--rows N] [--features F] [--runs R]`
await EndToEndBenchmark.RunAsync(args);
