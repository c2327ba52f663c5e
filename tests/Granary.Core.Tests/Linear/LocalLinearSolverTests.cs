using Granary.Core.Linear;

namespace Granary.Core.Tests.Linear;

public sealed class LocalLinearSolverTests
{
    [Fact]
    public void Fit_Ridge_MatchesClosedForm()
    {
        const int rows = 4000, width = 6;
        const double lambda = 0.05;
        var columns = LinearTestData.Features(rows, width, 21);
        var truth = new[] { 1.0, -2.0, 0.5, 0.0, 3.0, -0.25, 0.7 };
        var random = new Random(22);
        var labels = Enumerable.Range(0, rows).Select(r => LinearTestData.Margin(columns, truth, 0, r) + LinearTestData.Normal(random)).ToArray();
        var half = rows / 2;

        // Two blocks, as two chunks would be.
        var blocks = new[]
        {
            new DesignMatrix(half, columns.Select(c => c[..half]).ToArray(), labels[..half]),
            new DesignMatrix(rows - half, columns.Select(c => c[half..]).ToArray(), labels[half..]),
        };
        var fit = LocalLinearSolver.Fit(blocks, new LinearFitOptions { L2 = lambda, Tolerance = 1e-14, MaxIterations = 500 });

        // (XᵀX/n + λI without the intercept)·β = Xᵀy/n with X augmented by a ones column.
        var a = new double[width + 1, width + 1];
        var b = new double[width + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i <= width; i++)
            {
                var xi = i < width ? columns[i][r] : 1.0;
                b[i] += xi * labels[r] / rows;
                for (var j = 0; j <= width; j++)
                {
                    a[i, j] += xi * (j < width ? columns[j][r] : 1.0) / rows;
                }
            }
        }

        for (var i = 0; i < width; i++)
        {
            a[i, i] += lambda;
        }

        LinearTestData.AssertClose(LinearTestData.Solve(a, b), fit.Coefficients, 1e-6);
        Assert.True(fit.Converged, fit.StopReason);
    }

    [Fact]
    public void Fit_Logistic_RecoversWeightsAndMatchesNewton()
    {
        var truth = new[] { 1.0, -0.5, 0.25, 2.0, -1.0, 0.3 };
        var x = LinearTestData.Logistic(20_000, truth, 5);
        const double lambda = 1e-3;
        var fit = LocalLinearSolver.Fit([x], new LinearFitOptions { Objective = LinearObjective.Logistic, L2 = lambda, Tolerance = 1e-13, MaxIterations = 500 });

        // Sampling error with 20k rows is a few hundredths.
        for (var i = 0; i < truth.Length; i++)
        {
            Assert.True(Math.Abs(fit.Coefficients[i] - truth[i]) < 0.1, $"[{i}] {fit.Coefficients[i]} vs {truth[i]}");
        }

        LinearTestData.AssertClose(NewtonLogistic(x, lambda), fit.Coefficients, 1e-4);
    }

    [Fact]
    public void Fit_Softmax_RecoversCenteredWeights()
    {
        const int classes = 3, width = 4;
        var truth = new[]
        {
            1.0, 0.0, -1.0, 0.5, 0.2,
            -0.5, 1.5, 0.0, 0.0, -0.3,
            0.0, -1.0, 1.0, -0.5, 0.0,
        };
        var x = LinearTestData.Softmax(30_000, classes, truth, 9);
        var fit = LocalLinearSolver.Fit([x], new LinearFitOptions { Objective = LinearObjective.Softmax, Classes = classes, L2 = 1e-4, Tolerance = 1e-12, MaxIterations = 500 });

        // Softmax is identified up to a shift shared by all classes: with L2 the weights come out centred
        // over classes (their gradients sum to zero), and intercepts are compared as differences.
        for (var j = 0; j <= width; j++)
        {
            var mean = Enumerable.Range(0, classes).Average(k => truth[(k * (width + 1)) + j]);
            var fittedMean = Enumerable.Range(0, classes).Average(k => fit.Coefficients[(k * (width + 1)) + j]);
            if (j < width)
            {
                Assert.True(Math.Abs(fittedMean) < 1e-6, $"weights of feature {j} not centred: {fittedMean}");
            }

            for (var k = 0; k < classes; k++)
            {
                var expected = truth[(k * (width + 1)) + j] - mean;
                var actual = fit.Coefficients[(k * (width + 1)) + j] - fittedMean;
                Assert.True(Math.Abs(expected - actual) < 0.1, $"class {k} feature {j}: {actual} vs {expected}");
            }
        }
    }

    [Fact]
    public void Fit_L1_ZeroesIrrelevantFeaturesExactly()
    {
        const int rows = 2000, width = 10;
        const double l1 = 0.1;
        var columns = LinearTestData.Features(rows, width, 31);
        var random = new Random(32);
        var labels = Enumerable.Range(0, rows)
            .Select(r => (2 * columns[0][r]) - (3 * columns[1][r]) + (1.5 * columns[2][r]) + 1 + (0.5 * LinearTestData.Normal(random)))
            .ToArray();
        var x = new DesignMatrix(rows, columns, labels);
        var fit = LocalLinearSolver.Fit([x], new LinearFitOptions { L1 = l1, Tolerance = 1e-12, MaxIterations = 500 });

        for (var j = 0; j < 3; j++)
        {
            Assert.NotEqual(0.0, fit.Coefficients[j]);
        }

        for (var j = 3; j < width; j++)
        {
            Assert.Equal(0.0, fit.Coefficients[j]);
        }

        // KKT conditions of the lasso: ∇f_j = −λ·sign(β_j) where β_j ≠ 0, |∇f_j| ≤ λ where β_j = 0.
        var gradient = new double[width + 1];
        var loss = LinearLoss.Accumulate(LinearObjective.Squared, x, 2, fit.Coefficients, gradient, new LossWorkspace());
        LocalLinearSolver.Finish(loss, gradient, fit.Coefficients, rows, width, 0, true);
        for (var j = 0; j < width; j++)
        {
            if (fit.Coefficients[j] != 0)
            {
                Assert.Equal(-l1 * Math.Sign(fit.Coefficients[j]), gradient[j], 1e-6);
            }
            else
            {
                Assert.True(Math.Abs(gradient[j]) <= l1 + 1e-9);
            }
        }

        Assert.Equal(0.0, gradient[width], 1e-6);
    }

    [Fact]
    public void Fit_NoIntercept_KeepsInterceptZero()
    {
        var x = LinearTestData.Logistic(2000, [1.0, 0.5], 3);
        var fit = LocalLinearSolver.Fit([x], new LinearFitOptions { Objective = LinearObjective.Logistic, FitIntercept = false });
        Assert.Equal(0.0, fit.Coefficients[1]);
        Assert.True(fit.LossCurve.Count == fit.Iterations + 1);
        Assert.True(fit.LossCurve[^1] <= fit.LossCurve[0]);
    }

    /// <summary>Independent reference: Newton's method (IRLS) on mean loss + λ/2‖w‖², intercept unpenalised.</summary>
    private static double[] NewtonLogistic(DesignMatrix x, double lambda)
    {
        var d = x.Width + 1;
        var beta = new double[d];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var h = new double[d, d];
            var g = new double[d];
            var row = new double[d];
            for (var r = 0; r < x.Rows; r++)
            {
                for (var j = 0; j < x.Width; j++)
                {
                    row[j] = x.Columns[j][r];
                }

                row[x.Width] = 1;
                var z = 0.0;
                for (var j = 0; j < d; j++)
                {
                    z += beta[j] * row[j];
                }

                var p = 1 / (1 + Math.Exp(-z));
                for (var i = 0; i < d; i++)
                {
                    g[i] += (p - x.Labels[r]) * row[i] / x.Rows;
                    for (var j = 0; j < d; j++)
                    {
                        h[i, j] += p * (1 - p) * row[i] * row[j] / x.Rows;
                    }
                }
            }

            for (var j = 0; j < x.Width; j++)
            {
                g[j] += lambda * beta[j];
                h[j, j] += lambda;
            }

            var step = LinearTestData.Solve(h, g);
            for (var j = 0; j < d; j++)
            {
                beta[j] -= step[j];
            }

            if (step.Max(Math.Abs) < 1e-14)
            {
                break;
            }
        }

        return beta;
    }
}
