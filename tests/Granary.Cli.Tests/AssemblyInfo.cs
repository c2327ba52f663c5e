// The CLI's global options are shared symbols attached to each root command built; building roots from
// parallel tests would mutate their parent lists concurrently.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
