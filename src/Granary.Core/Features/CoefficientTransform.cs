namespace Granary.Core.Features;

/// <summary>
/// Coefficients fitted on standardised features, restated for the raw features: β_j / σ_j, and per class
/// block the intercept b − Σ_j β_j·μ_j / σ_j. Unscaled and one-hot columns are unchanged. The restated model
/// gives the same margins on raw data (missing still imputed with μ).
/// </summary>
public static class CoefficientTransform
{
    public const string InterceptName = "(intercept)";

    public static double[] ToOriginalScale(FeatureSpec spec, ReadOnlySpan<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var stride = spec.Width + 1;
        if (coefficients.Length == 0 || coefficients.Length % stride != 0)
        {
            throw new ArgumentException($"Expected a multiple of {stride} coefficients, got {coefficients.Length}.", nameof(coefficients));
        }

        var result = coefficients.ToArray();
        for (var block = 0; block < result.Length; block += stride)
        {
            for (var j = 0; j < spec.Numeric.Count; j++)
            {
                var feature = spec.Numeric[j];
                if (!feature.IsScaled)
                {
                    continue;
                }

                var beta = result[block + j] / feature.Std;
                result[block + j] = beta;
                result[block + spec.Width] -= beta * feature.Mean;
            }
        }

        return result;
    }

    /// <summary>Original-scale coefficients by feature name, intercept last in each block.</summary>
    public static IReadOnlyList<FeatureCoefficient> Describe(FeatureSpec spec, ReadOnlySpan<double> coefficients)
    {
        var original = ToOriginalScale(spec, coefficients);
        var names = spec.FeatureNames;
        var stride = spec.Width + 1;
        var blocks = original.Length / stride;
        var list = new List<FeatureCoefficient>(original.Length);
        for (var k = 0; k < blocks; k++)
        {
            var label = blocks > 1 && spec.Classes is { } classes && k < classes.Length ? classes[k] : null;
            for (var j = 0; j < stride; j++)
            {
                list.Add(new FeatureCoefficient(label, j < spec.Width ? names[j] : InterceptName, original[(k * stride) + j]));
            }
        }

        return list;
    }
}
