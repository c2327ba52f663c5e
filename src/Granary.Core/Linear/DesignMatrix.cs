namespace Granary.Core.Linear;

/// <summary>
/// One chunk's encoded features, column by column. Column-major because the margin z = Σ_j w_j·X[:,j]
/// and the gradient g_j = X[:,j]·r are then long contiguous-vector operations (TensorPrimitives).
/// </summary>
public sealed class DesignMatrix
{
    public DesignMatrix(int rows, double[][] columns, double[] labels, double[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        foreach (var column in columns)
        {
            if (column is null || column.Length < rows)
            {
                throw new ArgumentException("Every column needs at least Rows values.", nameof(columns));
            }
        }

        if (labels.Length < rows || (weights is not null && weights.Length < rows))
        {
            throw new ArgumentException("Labels and weights need at least Rows values.");
        }

        Rows = rows;
        Columns = columns;
        Labels = labels;
        Weights = weights;
    }

    public int Rows { get; }

    /// <summary>Number of feature columns (intercepts are not stored).</summary>
    public int Width => Columns.Length;

    /// <summary>Feature values; each array holds at least <see cref="Rows"/> values.</summary>
    public double[][] Columns { get; }

    /// <summary>The target: the value (squared), 0/1 (logistic) or the class index (softmax).</summary>
    public double[] Labels { get; }

    /// <summary>Sample weights; null means every row weighs 1.</summary>
    public double[]? Weights { get; }
}
