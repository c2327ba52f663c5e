using Granary.Core.Linear;

namespace Granary.Core.Tests.Linear;

public sealed class LinearLossTests
{
    public static TheoryData<LinearObjective, bool> Cases() => new()
    {
        { LinearObjective.Squared, false },
        { LinearObjective.Squared, true },
        { LinearObjective.Logistic, false },
        { LinearObjective.Logistic, true },
        { LinearObjective.Softmax, false },
        { LinearObjective.Softmax, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Accumulate_AnyObjective_GradientMatchesCentralDifferences(LinearObjective objective, bool weighted)
    {
        // 5000 rows spans several tiles, so tile boundaries are exercised too.
        var (x, classes, coefficients) = Problem(objective, weighted, 5000);
        var workspace = new LossWorkspace(LinearLoss.Blocks(objective, classes));
        var gradient = new double[coefficients.Length];
        LinearLoss.Accumulate(objective, x, classes, coefficients, gradient, workspace);

        const double h = 1e-5;
        var scratch = new double[coefficients.Length];
        for (var i = 0; i < coefficients.Length; i++)
        {
            var plus = (double[])coefficients.Clone();
            var minus = (double[])coefficients.Clone();
            plus[i] += h;
            minus[i] -= h;
            var fd = (LinearLoss.Accumulate(objective, x, classes, plus, scratch, workspace)
                - LinearLoss.Accumulate(objective, x, classes, minus, scratch, workspace)) / (2 * h);

            // Per-row scale: the sums are over 5000 rows; 1e-6 relative to max(|g|/n, 1)·n.
            Assert.True(Math.Abs(fd - gradient[i]) <= 1e-6 * Math.Max(Math.Abs(gradient[i]), x.Rows), $"coordinate {i}: fd {fd}, analytic {gradient[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Accumulate_AnyObjective_LossMatchesScalarFormula(LinearObjective objective, bool weighted)
    {
        var (x, classes, coefficients) = Problem(objective, weighted, 3000);
        var blocks = LinearLoss.Blocks(objective, classes);
        var loss = LinearLoss.Accumulate(objective, x, classes, coefficients, new double[coefficients.Length], new LossWorkspace(blocks));

        var expected = 0.0;
        var z = new double[blocks];
        for (var r = 0; r < x.Rows; r++)
        {
            for (var k = 0; k < blocks; k++)
            {
                z[k] = LinearTestData.Margin(x.Columns, coefficients, k, r);
            }

            var y = x.Labels[r];
            var rowLoss = objective switch
            {
                LinearObjective.Squared => 0.5 * (z[0] - y) * (z[0] - y),
                LinearObjective.Logistic => Math.Log(1 + Math.Exp(z[0])) - (y * z[0]),
                _ => Math.Log(z.Sum(Math.Exp)) - z[(int)y],
            };
            expected += (x.Weights?[r] ?? 1.0) * rowLoss;
        }

        Assert.Equal(expected, loss, expected * 1e-12);
    }

    [Fact]
    public void Accumulate_LogisticHugeMargins_StaysFinite()
    {
        var x = new DesignMatrix(2, [[1000.0, -1000.0]], [0.0, 1.0]);
        var gradient = new double[2];
        var loss = LinearLoss.Accumulate(LinearObjective.Logistic, x, 2, [1.0, 0.0], gradient, new LossWorkspace());
        Assert.Equal(2000.0, loss, 1e-9);
        Assert.Equal(1000.0 + 1000.0, gradient[0], 1e-9);
        Assert.Equal(0.0, gradient[1], 1e-9);
    }

    [Fact]
    public void Accumulate_SoftmaxHugeMargins_StaysFinite()
    {
        var x = new DesignMatrix(1, [[1.0]], [1.0]);
        var gradient = new double[6];
        var loss = LinearLoss.Accumulate(LinearObjective.Softmax, x, 3, [800.0, 0, 0, 0, -800.0, 0], gradient, new LossWorkspace(3));
        Assert.Equal(800.0, loss, 1e-9);
        Assert.Equal(1.0, gradient[0], 1e-12);
        Assert.Equal(-1.0, gradient[2], 1e-12);
    }

    [Fact]
    public void Accumulate_SoftmaxBadLabel_Throws()
    {
        var x = new DesignMatrix(1, [[1.0]], [3.0]);
        Assert.Throws<ArgumentException>(() =>
            LinearLoss.Accumulate(LinearObjective.Softmax, x, 3, new double[6], new double[6], new LossWorkspace(3)));
    }

    [Fact]
    public void TotalWeight_WeightedAndUnweighted_SumsWeights()
    {
        Assert.Equal(3.0, LinearLoss.TotalWeight(new DesignMatrix(3, [], [0.0, 0, 0])));
        Assert.Equal(3.5, LinearLoss.TotalWeight(new DesignMatrix(2, [], [0.0, 0, 0], [1.5, 2.0, 100])));
    }

    private static (DesignMatrix X, int Classes, double[] Coefficients) Problem(LinearObjective objective, bool weighted, int rows)
    {
        var random = new Random(7);
        var classes = objective == LinearObjective.Softmax ? 3 : 2;
        var blocks = LinearLoss.Blocks(objective, classes);
        var columns = LinearTestData.Features(rows, 4, 3);
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = objective switch
            {
                LinearObjective.Squared => LinearTestData.Normal(random) * 3,
                LinearObjective.Logistic => random.Next(2),
                _ => random.Next(classes),
            };
        }

        var weights = weighted ? Enumerable.Range(0, rows).Select(_ => 0.5 + random.NextDouble()).ToArray() : null;
        var coefficients = Enumerable.Range(0, blocks * 5).Select(_ => LinearTestData.Normal(random) * 0.7).ToArray();
        return (new DesignMatrix(rows, columns, labels, weights), classes, coefficients);
    }
}
