namespace Granary.Core.Optimization;

/// <summary>What the optimizer is waiting for.</summary>
internal enum OptimizerPhase : byte
{
    /// <summary>f and g at the start point.</summary>
    Start = 0,

    /// <summary>f and g at the current line-search trial point.</summary>
    LineSearch = 1,

    /// <summary>Nothing: the run has ended.</summary>
    Done = 2,
}
