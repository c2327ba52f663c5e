using System.Text;

namespace Granary.Core.Optimization;

/// <summary>
/// Everything an L-BFGS / OWL-QN run needs to continue: the current iterate, the correction history and the
/// line search in progress. A coordinator serialises it (e.g. whenever <see cref="IterationCompleted"/>) and a
/// resumed run reproduces an uninterrupted one bit for bit, since every double is stored exactly.
/// </summary>
public sealed class OptimizerState
{
    private const byte FormatVersion = 1;

    internal OptimizerState(LbfgsOptions options, int dimension)
    {
        Options = options;
        Dimension = dimension;
        XArray = new double[dimension];
        GArray = new double[dimension];
        PseudoGradient = new double[dimension];
        Direction = new double[dimension];
        Trial = new double[dimension];
        S = new double[options.Memory][];
        Y = new double[options.Memory][];
        for (var i = 0; i < options.Memory; i++)
        {
            S[i] = new double[dimension];
            Y[i] = new double[dimension];
        }

        Rho = new double[options.Memory];
        Alpha = new double[options.Memory];
    }

    public LbfgsOptions Options { get; }

    public int Dimension { get; }

    /// <summary>The current (accepted) iterate.</summary>
    public ReadOnlySpan<double> X => XArray;

    /// <summary>Full objective at <see cref="X"/>: the smooth part plus the L1 term.</summary>
    public double F { get; internal set; } = double.NaN;

    /// <summary>Gradient of the smooth part at <see cref="X"/>.</summary>
    public ReadOnlySpan<double> G => GArray;

    /// <summary>Completed iterations (accepted line-search steps).</summary>
    public int Iteration { get; internal set; }

    /// <summary>Function/gradient evaluations told so far.</summary>
    public int Evaluations { get; internal set; }

    /// <summary>True when a tolerance rule stopped the run (not for iteration limits or failures).</summary>
    public bool Converged { get; internal set; }

    /// <summary>Why the run ended ("gradient", "function", "max-iterations", "line-search-failed", ...); null while running.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>True when the run has ended; <see cref="LbfgsOptimizer.NextPoint"/> then has nothing to ask.</summary>
    public bool IsDone => StopReason is not null;

    /// <summary>True right after a Tell that completed an iteration: the moment to checkpoint.</summary>
    public bool IterationCompleted { get; internal set; }

    internal OptimizerPhase Phase { get; set; }

    internal double[] XArray { get; }

    internal double[] GArray { get; }

    internal double[] PseudoGradient { get; }

    internal double[] Direction { get; }

    internal double[] Trial { get; }

    internal double[][] S { get; }

    internal double[][] Y { get; }

    internal double[] Rho { get; }

    /// <summary>Two-loop scratch; not part of the serialised state.</summary>
    internal double[] Alpha { get; }

    internal int HistoryCount { get; set; }

    /// <summary>Slot the next correction pair is written to (ring buffer).</summary>
    internal int HistoryNext { get; set; }

    internal double Step { get; set; }

    internal double StepLow { get; set; }

    internal double StepHigh { get; set; } = double.PositiveInfinity;

    internal int LineSearchStep { get; set; }

    /// <summary>Directional derivative at the line-search origin (pseudo-gradient·d under OWL-QN).</summary>
    internal double InitialSlope { get; set; }

    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(FormatVersion);
            w.Write(Options.Memory);
            w.Write(Options.MaxIterations);
            w.Write(Options.Tolerance);
            w.Write(Options.MaxLineSearchSteps);
            w.Write(Options.L1Weights is not null);
            if (Options.L1Weights is not null)
            {
                WriteArray(w, Options.L1Weights);
            }

            w.Write(Dimension);
            WriteArray(w, XArray);
            w.Write(F);
            WriteArray(w, GArray);
            WriteArray(w, PseudoGradient);
            w.Write(Iteration);
            w.Write(Evaluations);
            w.Write(Converged);
            w.Write(StopReason is not null);
            if (StopReason is not null)
            {
                w.Write(StopReason);
            }

            w.Write(IterationCompleted);
            w.Write((byte)Phase);
            w.Write(HistoryCount);
            w.Write(HistoryNext);
            for (var i = 0; i < Options.Memory; i++)
            {
                WriteArray(w, S[i]);
                WriteArray(w, Y[i]);
            }

            WriteArray(w, Rho);
            WriteArray(w, Direction);
            WriteArray(w, Trial);
            w.Write(Step);
            w.Write(StepLow);
            w.Write(StepHigh);
            w.Write(LineSearchStep);
            w.Write(InitialSlope);
        }

        return stream.ToArray();
    }

    public static OptimizerState Deserialize(ReadOnlySpan<byte> data)
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        var version = r.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Optimizer state version {version} is not supported (expected {FormatVersion}).");
        }

        var memory = r.ReadInt32();
        var maxIterations = r.ReadInt32();
        var tolerance = r.ReadDouble();
        var maxSteps = r.ReadInt32();
        var l1 = r.ReadBoolean() ? ReadArray(r) : null;
        var options = new LbfgsOptions
        {
            Memory = memory,
            MaxIterations = maxIterations,
            Tolerance = tolerance,
            MaxLineSearchSteps = maxSteps,
            L1Weights = l1,
        };
        var dimension = r.ReadInt32();
        options.Validate(dimension);
        var state = new OptimizerState(options, dimension);
        ReadInto(r, state.XArray);
        state.F = r.ReadDouble();
        ReadInto(r, state.GArray);
        ReadInto(r, state.PseudoGradient);
        state.Iteration = r.ReadInt32();
        state.Evaluations = r.ReadInt32();
        state.Converged = r.ReadBoolean();
        state.StopReason = r.ReadBoolean() ? r.ReadString() : null;
        state.IterationCompleted = r.ReadBoolean();
        state.Phase = (OptimizerPhase)r.ReadByte();
        state.HistoryCount = r.ReadInt32();
        state.HistoryNext = r.ReadInt32();
        for (var i = 0; i < memory; i++)
        {
            ReadInto(r, state.S[i]);
            ReadInto(r, state.Y[i]);
        }

        ReadInto(r, state.Rho);
        ReadInto(r, state.Direction);
        ReadInto(r, state.Trial);
        state.Step = r.ReadDouble();
        state.StepLow = r.ReadDouble();
        state.StepHigh = r.ReadDouble();
        state.LineSearchStep = r.ReadInt32();
        state.InitialSlope = r.ReadDouble();
        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException("Trailing bytes after the optimizer state.");
        }

        return state;
    }

    private static void WriteArray(BinaryWriter w, double[] values)
    {
        w.Write(values.Length);
        foreach (var v in values)
        {
            w.Write(v);
        }
    }

    private static double[] ReadArray(BinaryReader r)
    {
        var values = new double[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = r.ReadDouble();
        }

        return values;
    }

    private static void ReadInto(BinaryReader r, double[] destination)
    {
        var length = r.ReadInt32();
        if (length != destination.Length)
        {
            throw new InvalidDataException("Optimizer state array length does not match its dimension.");
        }

        for (var i = 0; i < length; i++)
        {
            destination[i] = r.ReadDouble();
        }
    }
}
