namespace Granary.Core.Linear;

/// <summary>
/// Weighted evaluation sums for one or more chunks; chunks are computed anywhere and combined with
/// <see cref="Add"/>. Regression reports RMSE and MAE; classification reports accuracy (logistic predicts
/// class 1 when z &gt; 0, softmax the arg-max margin, first on ties). MeanLoss is the unregularised mean loss.
/// </summary>
public sealed class LinearMetrics
{
    public double TotalWeight { get; private set; }

    public double LossSum { get; private set; }

    public double SquaredErrorSum { get; private set; }

    public double AbsoluteErrorSum { get; private set; }

    /// <summary>Weight of correctly classified rows.</summary>
    public double CorrectWeight { get; private set; }

    public double MeanLoss => LossSum / TotalWeight;

    public double Rmse => Math.Sqrt(SquaredErrorSum / TotalWeight);

    public double Mae => AbsoluteErrorSum / TotalWeight;

    public double Accuracy => CorrectWeight / TotalWeight;

    public void Add(LinearMetrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        TotalWeight += other.TotalWeight;
        LossSum += other.LossSum;
        SquaredErrorSum += other.SquaredErrorSum;
        AbsoluteErrorSum += other.AbsoluteErrorSum;
        CorrectWeight += other.CorrectWeight;
    }

    /// <summary>One pass over <paramref name="x"/>: margins per tile, predictions scored, then the loss.</summary>
    public static LinearMetrics Compute(LinearObjective objective, DesignMatrix x, int classes, ReadOnlySpan<double> coefficients, LossWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(workspace);
        var blocks = LinearLoss.Blocks(objective, classes);
        var stride = x.Width + 1;
        if (coefficients.Length != blocks * stride || workspace.Blocks < blocks)
        {
            throw new ArgumentException($"Expected {blocks * stride} coefficients and a workspace of {blocks} blocks.");
        }

        var metrics = new LinearMetrics();
        for (var start = 0; start < x.Rows; start += LossWorkspace.TileRows)
        {
            var length = Math.Min(LossWorkspace.TileRows, x.Rows - start);
            for (var k = 0; k < blocks; k++)
            {
                LinearLoss.TileMargins(x, coefficients.Slice(k * stride, stride), start, workspace.Margins[k].AsSpan(0, length));
            }

            for (var i = 0; i < length; i++)
            {
                var w = x.Weights?[start + i] ?? 1.0;
                var y = x.Labels[start + i];
                metrics.TotalWeight += w;
                switch (objective)
                {
                    case LinearObjective.Squared:
                        var e = workspace.Margins[0][i] - y;
                        metrics.SquaredErrorSum += w * e * e;
                        metrics.AbsoluteErrorSum += w * Math.Abs(e);
                        break;
                    case LinearObjective.Logistic:
                        metrics.CorrectWeight += (workspace.Margins[0][i] > 0 ? 1.0 : 0.0) == y ? w : 0;
                        break;
                    default:
                        var best = 0;
                        for (var k = 1; k < blocks; k++)
                        {
                            best = workspace.Margins[k][i] > workspace.Margins[best][i] ? k : best;
                        }

                        metrics.CorrectWeight += best == y ? w : 0;
                        break;
                }
            }

            ReadOnlySpan<double> weights = x.Weights is null ? default : x.Weights.AsSpan(start, length);
            metrics.LossSum += LinearLoss.TileLoss(objective, x.Labels.AsSpan(start, length), weights, workspace, length, blocks);
        }

        return metrics;
    }
}
