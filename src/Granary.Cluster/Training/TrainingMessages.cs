namespace Granary.Cluster.Training;

/// <summary>
/// One pass of a linear model over a chunk: the shard encodes its rows with <c>SpecJson</c> (cached under
/// <c>SpecKey</c>), then sums loss and gradient at <c>Coefficients</c> (doubles as bytes: Orleans copies a
/// byte[] in one block, a double[] element by element).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LinearPassRequest(
    [property: Id(0)] string SpecJson,
    [property: Id(1)] string SpecKey,
    [property: Id(2)] int Objective,
    [property: Id(3)] int Classes,
    [property: Id(4)] byte[] Coefficients,
    [property: Id(5)] double ValidationFraction,
    [property: Id(6)] int Seed,
    [property: Id(7)] bool AllValidation,
    [property: Id(8)] bool WithMetrics,
    [property: Id(9)] double ValidationLower = 0);

/// <summary>A chunk's partial sums; the coordinator adds them up.</summary>
[GenerateSerializer, Immutable]
public sealed record LinearPassResult(
    [property: Id(0)] double Loss,
    [property: Id(1)] double Weight,
    [property: Id(2)] byte[] Gradient,
    [property: Id(3)] double ValidationLoss,
    [property: Id(4)] double ValidationWeight,
    [property: Id(5)] long DroppedRows,
    [property: Id(6)] PassMetrics? Train,
    [property: Id(7)] PassMetrics? Validation);

/// <summary>Mergeable sums for final metrics: accuracy (classification), RMSE and R² (regression).</summary>
[GenerateSerializer, Immutable]
public sealed record PassMetrics(
    [property: Id(0)] long Rows,
    [property: Id(1)] double Weight,
    [property: Id(2)] double CorrectWeight,
    [property: Id(3)] double SquaredError,
    [property: Id(4)] double LabelSum,
    [property: Id(5)] double LabelSquaredSum)
{
    public static PassMetrics Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public PassMetrics Add(PassMetrics? other) => other is null
        ? this
        : new(Rows + other.Rows, Weight + other.Weight, CorrectWeight + other.CorrectWeight, SquaredError + other.SquaredError,
            LabelSum + other.LabelSum, LabelSquaredSum + other.LabelSquaredSum);
}

/// <summary>What a training job needs to know once planned; the coordinator grain is started with it.</summary>
[GenerateSerializer, Immutable]
public sealed record TrainingPlan(
    [property: Id(0)] string SpecJson,
    [property: Id(1)] string SpecKey,
    [property: Id(2)] int Objective,
    [property: Id(3)] int Classes,
    [property: Id(4)] int Width,
    [property: Id(5)] double L1,
    [property: Id(6)] double L2,
    [property: Id(7)] bool FitIntercept,
    [property: Id(8)] int MaxIterations,
    [property: Id(9)] double Tolerance,
    [property: Id(10)] string[] TrainChunks,
    [property: Id(11)] string[] ValidationChunks,
    [property: Id(12)] double ValidationFraction,
    [property: Id(13)] int Seed,
    [property: Id(14)] double ValidationLower = 0);

/// <summary>Where training stands after one optimiser iteration; <c>Checkpoint</c> resumes it exactly.</summary>
[GenerateSerializer, Immutable]
public sealed record IterationReport(
    [property: Id(0)] int Iteration,
    [property: Id(1)] double Objective,
    [property: Id(2)] double? ValidationLoss,
    [property: Id(3)] bool Done,
    [property: Id(4)] string? StopReason,
    [property: Id(5)] byte[] Checkpoint);

/// <summary>The trained coefficients (standardised scale, as optimised) and the final metrics.</summary>
[GenerateSerializer, Immutable]
public sealed record TrainingOutcome(
    [property: Id(0)] byte[] Coefficients,
    [property: Id(1)] int Iterations,
    [property: Id(2)] string StopReason,
    [property: Id(3)] double Objective,
    [property: Id(4)] double TrainLoss,
    [property: Id(5)] double? ValidationLoss,
    [property: Id(6)] PassMetrics TrainMetrics,
    [property: Id(7)] PassMetrics? ValidationMetrics,
    [property: Id(8)] long DroppedRows,
    [property: Id(9)] double[] LossCurve,
    [property: Id(10)] double[] ValidationCurve,
    [property: Id(11)] int Evaluations,
    [property: Id(12)] double[] PassSeconds);
