using System.Numerics.Tensors;

namespace Granary.Core.Linear;

/// <summary>
/// Loss and gradient of a linear model over one <see cref="DesignMatrix"/>. Coefficients are K blocks
/// (K = 1 for squared/logistic, K = classes for softmax) of Width weights followed by one intercept:
/// coefficients[k·(Width+1) + j], intercept at j = Width. Sums are unregularised and unnormalised so that
/// chunks can be evaluated anywhere and added; the caller divides by the total weight and adds penalties.
/// </summary>
public static class LinearLoss
{
    /// <summary>Number of class blocks for an objective.</summary>
    public static int Blocks(LinearObjective objective, int classes) =>
        objective == LinearObjective.Softmax ? classes : 1;

    /// <summary>Length of the coefficient vector: Blocks × (Width + 1).</summary>
    public static int CoefficientCount(LinearObjective objective, int width, int classes) =>
        Blocks(objective, classes) * (width + 1);

    /// <summary>Σ weights (Rows when unweighted).</summary>
    public static double TotalWeight(DesignMatrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Weights is null ? x.Rows : TensorPrimitives.Sum(x.Weights.AsSpan(0, x.Rows));
    }

    /// <summary>
    /// Returns Σ_rows weight·loss and adds Σ_rows weight·∂loss/∂coefficients into <paramref name="gradient"/>.
    /// Rows are processed in cache-sized tiles so each column is read from memory once per pass.
    /// </summary>
    public static double Accumulate(
        LinearObjective objective,
        DesignMatrix x,
        int classes,
        ReadOnlySpan<double> coefficients,
        Span<double> gradient,
        LossWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(workspace);
        var blocks = Blocks(objective, classes);
        var count = blocks * (x.Width + 1);
        if (objective == LinearObjective.Softmax && classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), "Softmax needs at least two classes.");
        }

        if (coefficients.Length != count || gradient.Length != count)
        {
            throw new ArgumentException($"Expected {count} coefficients and gradient entries.");
        }

        if (workspace.Blocks < blocks)
        {
            throw new ArgumentException($"The workspace holds {workspace.Blocks} blocks; {blocks} are needed.", nameof(workspace));
        }

        var loss = 0.0;
        for (var start = 0; start < x.Rows; start += LossWorkspace.TileRows)
        {
            var length = Math.Min(LossWorkspace.TileRows, x.Rows - start);
            for (var k = 0; k < blocks; k++)
            {
                TileMargins(x, coefficients.Slice(k * (x.Width + 1), x.Width + 1), start, workspace.Margins[k].AsSpan(0, length));
            }

            var labels = x.Labels.AsSpan(start, length);
            ReadOnlySpan<double> weights = x.Weights is null ? default : x.Weights.AsSpan(start, length);
            loss += TileLoss(objective, labels, weights, workspace, length, blocks);

            // The margin buffers now hold weighted residuals ∂loss/∂z per row.
            for (var k = 0; k < blocks; k++)
            {
                var residual = workspace.Margins[k].AsSpan(0, length);
                var g = gradient.Slice(k * (x.Width + 1), x.Width + 1);
                for (var j = 0; j < x.Width; j++)
                {
                    g[j] += TensorPrimitives.Dot(x.Columns[j].AsSpan(start, length), residual);
                }

                g[x.Width] += TensorPrimitives.Sum(residual);
            }
        }

        return loss;
    }

    /// <summary>Writes the margins z = X·w_k + b_k of class block <paramref name="block"/> for every row.</summary>
    public static void Margins(DesignMatrix x, ReadOnlySpan<double> coefficients, int block, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (destination.Length < x.Rows)
        {
            throw new ArgumentException("The destination is shorter than Rows.", nameof(destination));
        }

        var stride = x.Width + 1;
        TileMargins(x, coefficients.Slice(block * stride, stride), 0, destination[..x.Rows]);
    }

    /// <summary>Loss of one tile whose margins are in the workspace; leaves weighted residuals in their place.</summary>
    internal static double TileLoss(LinearObjective objective, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights, LossWorkspace workspace, int length, int blocks) =>
        objective switch
        {
            LinearObjective.Squared => SquaredTile(labels, weights, workspace, length),
            LinearObjective.Logistic => LogisticTile(labels, weights, workspace, length),
            LinearObjective.Softmax => SoftmaxTile(labels, weights, workspace, length, blocks),
            _ => throw new ArgumentOutOfRangeException(nameof(objective)),
        };

    internal static void TileMargins(DesignMatrix x, ReadOnlySpan<double> block, int start, Span<double> margins)
    {
        margins.Fill(block[x.Width]);
        for (var j = 0; j < x.Width; j++)
        {
            // A zero weight (common under L1) contributes nothing: skip streaming its column.
            if (block[j] != 0)
            {
                TensorPrimitives.MultiplyAdd(x.Columns[j].AsSpan(start, margins.Length), block[j], margins, margins);
            }
        }
    }

    private static double SquaredTile(ReadOnlySpan<double> labels, ReadOnlySpan<double> weights, LossWorkspace workspace, int length)
    {
        var r = workspace.Margins[0].AsSpan(0, length);
        TensorPrimitives.Subtract(r, labels, r);
        if (weights.IsEmpty)
        {
            return 0.5 * TensorPrimitives.Dot(r, r);
        }

        var s = workspace.Scratch.AsSpan(0, length);
        TensorPrimitives.Multiply(r, weights, s);
        var loss = 0.5 * TensorPrimitives.Dot(s, r);
        s.CopyTo(r);
        return loss;
    }

    private static double LogisticTile(ReadOnlySpan<double> labels, ReadOnlySpan<double> weights, LossWorkspace workspace, int length)
    {
        var z = workspace.Margins[0].AsSpan(0, length);
        var s = workspace.Scratch.AsSpan(0, length);
        var t = workspace.Scratch2.AsSpan(0, length);

        // Stable log(1 + e^z) − y·z = max(z, 0) + log1p(e^−|z|) − y·z.
        TensorPrimitives.Abs(z, s);
        TensorPrimitives.Negate(s, s);
        TensorPrimitives.Exp(s, s);
        TensorPrimitives.LogP1(s, s);
        TensorPrimitives.Max(z, 0.0, t);
        TensorPrimitives.Add(s, t, s);
        TensorPrimitives.Multiply(labels, z, t);
        TensorPrimitives.Subtract(s, t, s);
        var loss = weights.IsEmpty ? TensorPrimitives.Sum(s) : TensorPrimitives.Dot(s, weights);

        // ∂/∂z = σ(z) − y; Sigmoid saturates to 0 or 1 without overflow.
        TensorPrimitives.Sigmoid(z, z);
        TensorPrimitives.Subtract(z, labels, z);
        if (!weights.IsEmpty)
        {
            TensorPrimitives.Multiply(z, weights, z);
        }

        return loss;
    }

    private static double SoftmaxTile(ReadOnlySpan<double> labels, ReadOnlySpan<double> weights, LossWorkspace workspace, int length, int blocks)
    {
        var shiftedTrue = workspace.Scratch.AsSpan(0, length);
        var max = workspace.Scratch2.AsSpan(0, length);
        workspace.Margins[0].AsSpan(0, length).CopyTo(max);
        for (var k = 1; k < blocks; k++)
        {
            TensorPrimitives.Max(max, workspace.Margins[k].AsSpan(0, length), max);
        }

        for (var i = 0; i < length; i++)
        {
            shiftedTrue[i] = workspace.Margins[ClassOf(labels[i], blocks)][i] - max[i];
        }

        // e_k = exp(z_k − max) ≤ 1, so the sum cannot overflow and is at least 1.
        for (var k = 0; k < blocks; k++)
        {
            var m = workspace.Margins[k].AsSpan(0, length);
            TensorPrimitives.Subtract(m, max, m);
            TensorPrimitives.Exp(m, m);
        }

        var sum = max;
        workspace.Margins[0].AsSpan(0, length).CopyTo(sum);
        for (var k = 1; k < blocks; k++)
        {
            TensorPrimitives.Add(sum, workspace.Margins[k].AsSpan(0, length), sum);
        }

        for (var k = 0; k < blocks; k++)
        {
            var m = workspace.Margins[k].AsSpan(0, length);
            TensorPrimitives.Divide(m, sum, m);
        }

        // Per-row loss: log Σ e_k − (z_y − max).
        TensorPrimitives.Log(sum, sum);
        TensorPrimitives.Subtract(sum, shiftedTrue, sum);
        var loss = weights.IsEmpty ? TensorPrimitives.Sum(sum) : TensorPrimitives.Dot(sum, weights);

        for (var i = 0; i < length; i++)
        {
            workspace.Margins[(int)labels[i]][i] -= 1.0;
        }

        if (!weights.IsEmpty)
        {
            for (var k = 0; k < blocks; k++)
            {
                var m = workspace.Margins[k].AsSpan(0, length);
                TensorPrimitives.Multiply(m, weights, m);
            }
        }

        return loss;
    }

    private static int ClassOf(double label, int blocks)
    {
        var c = (int)label;
        if (c != label || (uint)c >= (uint)blocks)
        {
            throw new ArgumentException($"Softmax label {label} is not a class index in [0, {blocks}).");
        }

        return c;
    }
}
