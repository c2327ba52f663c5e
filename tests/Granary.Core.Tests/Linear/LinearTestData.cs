using Granary.Core.Linear;

namespace Granary.Core.Tests.Linear;

/// <summary>Generated problems and small dense references (Gaussian elimination) for the linear tests.</summary>
internal static class LinearTestData
{
    public static double Normal(Random random)
    {
        // Box–Muller; 1 − U avoids log(0).
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double[][] Features(int rows, int width, int seed)
    {
        var random = new Random(seed);
        var columns = new double[width][];
        for (var j = 0; j < width; j++)
        {
            columns[j] = new double[rows];
        }

        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < width; j++)
            {
                columns[j][r] = Normal(random);
            }
        }

        return columns;
    }

    /// <summary>z_k for row r under coefficients laid out as K blocks of (Width weights, intercept).</summary>
    public static double Margin(double[][] columns, double[] coefficients, int block, int row)
    {
        var stride = columns.Length + 1;
        var z = coefficients[(block * stride) + columns.Length];
        for (var j = 0; j < columns.Length; j++)
        {
            z += coefficients[(block * stride) + j] * columns[j][row];
        }

        return z;
    }

    public static DesignMatrix Logistic(int rows, double[] coefficients, int seed)
    {
        var width = coefficients.Length - 1;
        var columns = Features(rows, width, seed);
        var random = new Random(seed + 1);
        var labels = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var p = 1.0 / (1.0 + Math.Exp(-Margin(columns, coefficients, 0, r)));
            labels[r] = random.NextDouble() < p ? 1 : 0;
        }

        return new DesignMatrix(rows, columns, labels);
    }

    public static DesignMatrix Softmax(int rows, int classes, double[] coefficients, int seed)
    {
        var width = (coefficients.Length / classes) - 1;
        var columns = Features(rows, width, seed);
        var random = new Random(seed + 1);
        var labels = new double[rows];
        var p = new double[classes];
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            for (var k = 0; k < classes; k++)
            {
                p[k] = Math.Exp(Margin(columns, coefficients, k, r));
                sum += p[k];
            }

            var u = random.NextDouble() * sum;
            var c = 0;
            while (c < classes - 1 && u >= p[c])
            {
                u -= p[c];
                c++;
            }

            labels[r] = c;
        }

        return new DesignMatrix(rows, columns, labels);
    }

    /// <summary>Solves A·x = b by Gaussian elimination with partial pivoting (A is copied).</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (var c = 0; c < n; c++)
            {
                (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            }

            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (var r = col + 1; r < n; r++)
            {
                var factor = m[r, col] / m[col, col];
                for (var c = col; c < n; c++)
                {
                    m[r, c] -= factor * m[col, c];
                }

                x[r] -= factor * x[col];
            }
        }

        for (var r = n - 1; r >= 0; r--)
        {
            for (var c = r + 1; c < n; c++)
            {
                x[r] -= m[r, c] * x[c];
            }

            x[r] /= m[r, r];
        }

        return x;
    }

    /// <summary>Asserts |actual − expected| ≤ relative·max(|expected|, floor) for every entry.</summary>
    public static void AssertClose(double[] expected, double[] actual, double relative, double floor = 1e-3)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var allowed = relative * Math.Max(Math.Abs(expected[i]), floor);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed, $"[{i}] expected {expected[i]:R}, got {actual[i]:R} (allowed {allowed:G3})");
        }
    }
}
