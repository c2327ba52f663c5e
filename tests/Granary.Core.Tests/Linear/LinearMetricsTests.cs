using Granary.Core.Linear;

namespace Granary.Core.Tests.Linear;

public sealed class LinearMetricsTests
{
    [Fact]
    public void Compute_Squared_RmseMaeAndLossMatchDirectSums()
    {
        var x = new DesignMatrix(3, [[1.0, 2.0, 3.0]], [1.0, 5.0, 2.0], [1.0, 2.0, 1.0]);
        var m = LinearMetrics.Compute(LinearObjective.Squared, x, 2, [1.0, 0.0], new LossWorkspace());
        Assert.Equal(4.0, m.TotalWeight);
        Assert.Equal(Math.Sqrt((0 + (2 * 9) + 1) / 4.0), m.Rmse, 1e-12);
        Assert.Equal((0 + (2 * 3) + 1) / 4.0, m.Mae, 1e-12);
        Assert.Equal(0.5 * 19 / 4.0, m.MeanLoss, 1e-12);
    }

    [Fact]
    public void Compute_SoftmaxAcrossChunks_AccuracyAndLossAddUp()
    {
        var truth = new[] { 2.0, 0.0, -1.0, 0.0, 1.0, 0.5 };
        var x = LinearTestData.Softmax(5000, 3, truth, 4);
        var workspace = new LossWorkspace(3);
        var whole = LinearMetrics.Compute(LinearObjective.Softmax, x, 3, truth, workspace);
        var loss = LinearLoss.Accumulate(LinearObjective.Softmax, x, 3, truth, new double[6], workspace);

        var correct = 0;
        for (var r = 0; r < x.Rows; r++)
        {
            var z = Enumerable.Range(0, 3).Select(k => LinearTestData.Margin(x.Columns, truth, k, r)).ToArray();
            correct += Array.IndexOf(z, z.Max()) == (int)x.Labels[r] ? 1 : 0;
        }

        Assert.Equal(correct / 5000.0, whole.Accuracy, 1e-12);
        Assert.Equal(loss / 5000, whole.MeanLoss, 1e-12);

        var first = LinearMetrics.Compute(LinearObjective.Softmax, new DesignMatrix(2000, x.Columns, x.Labels), 3, truth, workspace);
        var second = LinearMetrics.Compute(
            LinearObjective.Softmax, new DesignMatrix(3000, x.Columns.Select(c => c[2000..]).ToArray(), x.Labels[2000..]), 3, truth, workspace);
        first.Add(second);
        Assert.Equal(whole.CorrectWeight, first.CorrectWeight);
        Assert.Equal(whole.LossSum, first.LossSum, 1e-9);
    }
}
