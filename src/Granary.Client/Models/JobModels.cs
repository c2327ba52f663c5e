using System.Text.Json;

namespace Granary.Client.Models;

/// <summary>
/// The body of <c>POST /v1/jobs</c> for a training job: a flat object whose <c>type</c> is "train";
/// <c>priority</c> orders the queue (higher first, default 0). <c>Dataset</c> is <c>name</c> or <c>name@version</c> (latest when omitted); <c>Features</c>
/// defaults to every column but the label; <c>Algorithm</c> is linear (squared loss), logistic (binary) or
/// softmax (multinomial). Regularisation is elastic net on standardised features: the penalty is
/// <c>L1·‖w‖₁ + L2/2·‖w‖²</c> added to the mean loss; the intercept is never penalised.
/// </summary>
public sealed record TrainJobSpec(
    string Dataset,
    string Label,
    string Algorithm,
    string Model,
    IReadOnlyList<string>? Features = null,
    double L1 = 0,
    double L2 = 0,
    bool Standardize = true,
    bool FitIntercept = true,
    int MaxIterations = 100,
    double Tolerance = 1e-6,
    int MaxCategories = 32,
    IReadOnlyDictionary<string, double>? ClassWeights = null,
    ValidationSpec? Validation = null,
    CrossValidationSpec? CrossValidation = null)
{
    /// <summary>The job type on the wire.</summary>
    public string Type => "train";

    public int Priority { get; init; }
}

/// <summary>
/// k-fold cross-validation before the final fit: the rows are split into <c>Folds</c> seeded folds; one model is
/// trained per fold with that fold held out, and the mean and spread of each validation metric are reported.
/// </summary>
public sealed record CrossValidationSpec(int Folds, int Seed = 42);

/// <summary>Hold out a seeded <c>Fraction</c> of rows, or evaluate on another <c>Dataset</c> (name[@version]).</summary>
public sealed record ValidationSpec(double? Fraction = null, string? Dataset = null, int Seed = 42);

/// <summary>
/// A job as <c>GET /v1/jobs/{id}</c> shows it. <c>State</c>: queued, running, succeeded, failed, cancelled.
/// <c>Node</c>: while running, the id of the node running it (as in <c>/v1/cluster</c>).
/// </summary>
public sealed record JobInfo(
    string Id,
    string Type,
    string State,
    int Priority,
    double Progress,
    string? Step,
    int Attempt,
    JobError? Error,
    JsonElement? Result,
    JsonElement Spec,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool CancelRequested,
    string? Node = null);

/// <summary>Why a job failed: a stable code and a readable message.</summary>
public sealed record JobError(string Code, string Message);

/// <summary><c>GET /v1/jobs</c>.</summary>
public sealed record JobList(IReadOnlyList<JobInfo> Jobs);

/// <summary>
/// The body of <c>POST /v1/jobs</c> for an evaluation: <c>type</c> "evaluate"; one or more model references
/// (name, name@version, name@alias) judged side by side on <c>Dataset</c> (name or name@version).
/// </summary>
public sealed record EvaluateJobSpec(string Dataset, IReadOnlyList<string> Models)
{
    /// <summary>The job type on the wire.</summary>
    public string Type => "evaluate";

    public int Priority { get; init; }
}

/// <summary>
/// The body of <c>POST /v1/jobs</c> for batch scoring: <c>type</c> "predict"; every chunk of <c>Dataset</c> is
/// scored where it lives by <c>Model</c> (name, name@version, name@alias) and written as a new version of the
/// dataset <c>Output</c>: the input columns plus <c>prediction</c> and, for classifiers, <c>probability_{class}</c>.
/// </summary>
public sealed record PredictJobSpec(string Model, string Dataset, string Output)
{
    /// <summary>The job type on the wire.</summary>
    public string Type => "predict";

    public int Priority { get; init; }
}
