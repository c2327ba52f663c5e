using System.Numerics;

namespace Granary.Core.Sketches;

/// <summary>
/// Count, mean, sum of squared deviations (M2), min and max of the finite values of a numeric column.
/// Each chunk uses an exact two-pass computation (vectorised); chunks combine with Chan, Golub and
/// LeVeque's pairwise update, which is numerically stable in any merge order.
/// </summary>
internal sealed class Moments
{
    public long Count { get; private set; }

    public double Mean { get; private set; }

    public double M2 { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>Sample variance (n - 1 denominator); null below two values.</summary>
    public double? Variance => Count < 2 ? null : M2 / (Count - 1);

    public void Merge(long count, double mean, double m2, double min, double max)
    {
        if (count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            (Count, Mean, M2, Min, Max) = (count, mean, m2, min, max);
            return;
        }

        var total = Count + count;
        var delta = mean - Mean;
        Mean += delta * ((double)count / total);
        M2 += m2 + (delta * delta * ((double)Count * count / total));
        Count = total;
        Min = Math.Min(Min, min);
        Max = Math.Max(Max, max);
    }

    public void Merge(Moments other) => Merge(other.Count, other.Mean, other.M2, other.Min, other.Max);

    public void Write(SketchWriter writer)
    {
        writer.WriteVarUInt64((ulong)Count);
        writer.WriteDouble(Mean);
        writer.WriteDouble(M2);
        writer.WriteDouble(Min);
        writer.WriteDouble(Max);
    }

    public static Moments Read(ref SketchReader reader)
    {
        var moments = new Moments();
        moments.Merge((long)reader.ReadVarUInt64(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
        return moments;
    }

    /// <summary>
    /// One vectorised pass: how many values are NaN and how many infinite, and (meaningful only when both
    /// are zero) the sum, min and max.
    /// </summary>
    public static void Scan(ReadOnlySpan<double> values, out int nanCount, out int infinityCount, out double sum, out double min, out double max)
    {
        var i = 0;
        sum = 0;
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        long notNan = 0;
        long infinite = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            var vSum = Vector<double>.Zero;
            var vMin = new Vector<double>(double.PositiveInfinity);
            var vMax = new Vector<double>(double.NegativeInfinity);
            var vNotNan = Vector<long>.Zero;
            var vInfinite = Vector<long>.Zero;
            var infinity = new Vector<double>(double.PositiveInfinity);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var x = new Vector<double>(values[i..]);
                vNotNan -= Vector.Equals(x, x); // all-ones (-1) per lane that is not NaN
                vInfinite -= Vector.Equals(Vector.Abs(x), infinity);
                vSum += x;
                vMin = Vector.Min(vMin, x);
                vMax = Vector.Max(vMax, x);
            }

            sum = Vector.Sum(vSum);
            notNan = Vector.Sum(vNotNan);
            infinite = Vector.Sum(vInfinite);
            for (var lane = 0; lane < Vector<double>.Count; lane++)
            {
                min = Math.Min(min, vMin[lane]);
                max = Math.Max(max, vMax[lane]);
            }
        }

        for (; i < values.Length; i++)
        {
            var x = values[i];
            if (!double.IsNaN(x))
            {
                notNan++;
            }

            if (double.IsInfinity(x))
            {
                infinite++;
            }

            sum += x;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        nanCount = (int)(values.Length - notNan);
        infinityCount = (int)infinite;
    }

    /// <summary>
    /// Second pass of the corrected two-pass algorithm (Chan, Golub, LeVeque 1983): refines the first-pass
    /// <paramref name="mean"/> by the mean residual and returns M2 with the residual's effect removed, so a
    /// large offset relative to the spread (e.g. values near 1e9 with unit spread) does not leak into the variance.
    /// </summary>
    public static double CorrectedM2(ReadOnlySpan<double> values, ref double mean)
    {
        var i = 0;
        var squares = 0.0;
        var residual = 0.0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            var vMean = new Vector<double>(mean);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var res0 = Vector<double>.Zero;
            var res1 = Vector<double>.Zero;
            for (; i <= values.Length - (2 * Vector<double>.Count); i += 2 * Vector<double>.Count)
            {
                var d0 = new Vector<double>(values[i..]) - vMean;
                var d1 = new Vector<double>(values[(i + Vector<double>.Count)..]) - vMean;
                acc0 += d0 * d0;
                acc1 += d1 * d1;
                res0 += d0;
                res1 += d1;
            }

            squares = Vector.Sum(acc0 + acc1);
            residual = Vector.Sum(res0 + res1);
        }

        for (; i < values.Length; i++)
        {
            var d = values[i] - mean;
            squares += d * d;
            residual += d;
        }

        var n = values.Length;
        mean += residual / n;
        return Math.Max(0, squares - (residual * residual / n));
    }
}
