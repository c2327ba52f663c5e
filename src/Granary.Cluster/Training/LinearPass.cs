using Granary.Core.Linear;

namespace Granary.Cluster.Training;

/// <summary>The data-plane side of a training pass over one encoded chunk: loss, gradient and metric sums.</summary>
public static class LinearPass
{
    public static LinearPassResult Run(EncodedChunk chunk, LinearPassRequest request)
    {
        var objective = (LinearObjective)request.Objective;
        var coefficients = Doubles.FromBytes(request.Coefficients);
        var gradient = new double[coefficients.Length];
        double loss = 0, weight = 0, validationLoss = 0, validationWeight = 0;
        var blocks = LinearLoss.Blocks(objective, request.Classes);
        if (chunk.Train is { Rows: > 0 } train)
        {
            loss = LinearLoss.Accumulate(objective, train, request.Classes, coefficients, gradient, new LossWorkspace(blocks));
            weight = LinearLoss.TotalWeight(train);
        }

        if (chunk.Validation is { Rows: > 0 } validation)
        {
            // The validation gradient is not needed; accumulate it into scratch.
            validationLoss = LinearLoss.Accumulate(objective, validation, request.Classes, coefficients, new double[coefficients.Length], new LossWorkspace(blocks));
            validationWeight = LinearLoss.TotalWeight(validation);
        }

        return new LinearPassResult(
            loss,
            weight,
            Doubles.ToBytes(gradient),
            validationLoss,
            validationWeight,
            chunk.DroppedRows,
            request.WithMetrics && chunk.Train is { } t ? Metrics(objective, request.Classes, t, coefficients) : null,
            request.WithMetrics && chunk.Validation is { } v ? Metrics(objective, request.Classes, v, coefficients) : null);
    }

    /// <summary>Weighted accuracy for classifiers; squared error and label moments for regression.</summary>
    public static PassMetrics Metrics(LinearObjective objective, int classes, DesignMatrix x, ReadOnlySpan<double> coefficients)
    {
        if (x.Rows == 0)
        {
            return PassMetrics.Empty;
        }

        var blocks = LinearLoss.Blocks(objective, classes);
        var margins = new double[blocks][];
        for (var k = 0; k < blocks; k++)
        {
            margins[k] = new double[x.Rows];
            LinearLoss.Margins(x, coefficients, k, margins[k]);
        }

        double weight = 0, correct = 0, squared = 0, sum = 0, sumSquares = 0;
        for (var i = 0; i < x.Rows; i++)
        {
            var w = x.Weights?[i] ?? 1.0;
            var y = x.Labels[i];
            weight += w;
            switch (objective)
            {
                case LinearObjective.Squared:
                    var error = margins[0][i] - y;
                    squared += w * error * error;
                    sum += w * y;
                    sumSquares += w * y * y;
                    break;
                case LinearObjective.Logistic:
                    correct += (margins[0][i] > 0 ? 1.0 : 0.0) == y ? w : 0;
                    break;
                default:
                    var best = 0;
                    for (var k = 1; k < blocks; k++)
                    {
                        best = margins[k][i] > margins[best][i] ? k : best;
                    }

                    correct += best == (int)y ? w : 0;
                    break;
            }
        }

        return new PassMetrics(x.Rows, weight, correct, squared, sum, sumSquares);
    }
}
