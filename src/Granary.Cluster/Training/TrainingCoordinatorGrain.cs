using Granary.Cluster.Datasets;
using Granary.Core.Linear;
using Granary.Core.Optimization;

namespace Granary.Cluster.Training;

/// <summary>
/// The optimiser lives here; the data stays on the shards. Each evaluation sends the coefficients to
/// every chunk's shard grain and sums the partial losses and gradients in chunk order (so the sum, and
/// therefore the whole run, is deterministic and a resumed job reaches the same model).
/// </summary>
// Beside the job runner that drives it: one node holds both, so losing it loses nothing a resume does not restore.
[Orleans.Placement.PreferLocalPlacement]
internal sealed class TrainingCoordinatorGrain : Grain, ITrainingCoordinatorGrain
{
    private TrainingPlan? _plan;
    private OptimizerState? _state;
    private List<double> _curve = [];
    private List<double> _validationCurve = [];
    private double? _lastValidation;
    private LinearPassResult? _lastTotals;
    private readonly List<double> _passSeconds = [];

    public async Task<IterationReport> StartAsync(TrainingPlan plan, byte[]? checkpoint)
    {
        _plan = plan;
        if (checkpoint is not null)
        {
            (_state, _curve, _validationCurve) = TrainingCheckpoint.Read(checkpoint);
        }
        else
        {
            var dimension = LinearLoss.CoefficientCount((LinearObjective)plan.Objective, plan.Width, plan.Classes);
            _state = LbfgsOptimizer.Start(new double[dimension], new LbfgsOptions
            {
                MaxIterations = plan.MaxIterations,
                Tolerance = plan.Tolerance,
                L1Weights = plan.L1 > 0 ? LocalLinearSolver.PenaltyWeights(plan.Width, dimension, plan.L1) : null,
            });
            _curve = [];
            _validationCurve = [];
        }

        await Task.CompletedTask;
        return Report();
    }

    public async Task<IterationReport> IterateAsync()
    {
        var plan = _plan ?? throw new InvalidOperationException("The coordinator was not started.");
        var state = _state!;
        while (!state.IsDone)
        {
            var point = LbfgsOptimizer.NextPoint(state).ToArray();
            var (objective, gradient, validation) = await EvaluateAsync(plan, point, withMetrics: false);
            LbfgsOptimizer.Tell(state, objective, gradient);
            _lastValidation = validation;
            if (state.IterationCompleted)
            {
                _curve.Add(state.F);
                _validationCurve.Add(validation ?? double.NaN);
                return Report();
            }
        }

        return Report();
    }

    public async Task<TrainingOutcome> FinishAsync()
    {
        var plan = _plan ?? throw new InvalidOperationException("The coordinator was not started.");
        var state = _state!;
        var coefficients = state.X.ToArray();
        var (objective, _, validation) = await EvaluateAsync(plan, coefficients, withMetrics: true);
        var totals = _lastTotals!;
        return new TrainingOutcome(
            Doubles.ToBytes(coefficients),
            state.Iteration,
            state.StopReason ?? "stopped",
            objective,
            totals.Weight > 0 ? totals.Loss / totals.Weight : double.NaN,
            validation,
            totals.Train ?? PassMetrics.Empty,
            totals.Validation,
            totals.DroppedRows,
            [.. _curve],
            [.. _validationCurve],
            state.Evaluations,
            [.. _passSeconds]);
    }

    private IterationReport Report() => new(
        _state!.Iteration,
        _state.F,
        _lastValidation,
        _state.IsDone,
        _state.StopReason,
        TrainingCheckpoint.Write(_state, _curve, _validationCurve));

    /// <summary>One distributed evaluation: mean loss + L2 penalty and its gradient; the validation mean loss.</summary>
    private async Task<(double Objective, double[] Gradient, double? Validation)> EvaluateAsync(TrainingPlan plan, double[] point, bool withMetrics)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var coefficients = Doubles.ToBytes(point);
        var requests = plan.TrainChunks.Select(path => (path, all: false))
            .Concat(plan.ValidationChunks.Select(path => (path, all: true)))
            .Select(c => DataPlane.NodeLossRetry.CallAsync(() => GrainFactory.GetGrain<IDatasetShardGrain>(c.path).EvaluateLinearAsync(new LinearPassRequest(
                plan.SpecJson, plan.SpecKey, plan.Objective, plan.Classes, coefficients,
                c.all ? 0 : plan.ValidationFraction, plan.Seed, c.all, withMetrics, c.all ? 0 : plan.ValidationLower))));
        var results = await Task.WhenAll(requests);
        _passSeconds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);

        double loss = 0, weight = 0, validationLoss = 0, validationWeight = 0;
        long dropped = 0;
        var gradient = new double[point.Length];
        PassMetrics? train = null, held = null;
        foreach (var result in results)
        {
            loss += result.Loss;
            weight += result.Weight;
            validationLoss += result.ValidationLoss;
            validationWeight += result.ValidationWeight;
            dropped += result.DroppedRows;
            var partial = Doubles.FromBytes(result.Gradient);
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] += partial[i];
            }

            train = result.Train is null ? train : (train ?? PassMetrics.Empty).Add(result.Train);
            held = result.Validation is null ? held : (held ?? PassMetrics.Empty).Add(result.Validation);
        }

        if (weight <= 0)
        {
            throw new Jobs.JobFailedException("no_training_rows", "No rows to train on (every label missing, or all rows held out for validation).");
        }

        _lastTotals = new LinearPassResult(loss, weight, [], validationLoss, validationWeight, dropped, train, held);
        var objective = LocalLinearSolver.Finish(loss, gradient, point, weight, plan.Width, plan.L2, plan.FitIntercept);
        return (objective, gradient, validationWeight > 0 ? validationLoss / validationWeight : null);
    }
}
