using Granary.Core.Data;
using Granary.Core.Features;
using Granary.Core.Linear;
using Granary.Core.Tests.Linear;

namespace Granary.Core.Tests.Features;

public sealed class CoefficientTransformTests
{
    [Fact]
    public void ToOriginalScale_StandardisedFit_EqualsFitOnRawFeatures()
    {
        const int rows = 5000;
        var random = new Random(3);
        var x1 = new double[rows];
        var x2 = new double[rows];
        var c = new string?[rows];
        var y = new double[rows];
        string[] levels = ["a", "b", "c"];
        for (var r = 0; r < rows; r++)
        {
            x1[r] = 5 + (2 * LinearTestData.Normal(random));
            x2[r] = -3 + (10 * LinearTestData.Normal(random));
            c[r] = levels[random.Next(3)];
            y[r] = 1 + (0.7 * x1[r]) - (0.05 * x2[r]) + (c[r] == "b" ? 2 : 0) + LinearTestData.Normal(random);
        }

        x1[10] = double.NaN;
        c[11] = null;
        var frame = FeatureEncoderTests.Frame(new NumericColumn("x1", x1), new NumericColumn("x2", x2), new StringColumn("c", c), new NumericColumn("y", y));
        var finite1 = x1.Where(double.IsFinite).ToArray();
        FeatureSpec Spec(bool standardize) => new()
        {
            Numeric = [new NumericFeature("x1", finite1.Average(), Std(finite1), standardize), new NumericFeature("x2", x2.Average(), Std(x2), standardize)],
            Categorical = [new CategoricalFeature("c", ["a", "b"])],
            LabelColumn = "y",
        };

        // Without penalties both fits minimise the same function up to a change of variables. One-hot columns
        // (levels + other) sum to 1 and are collinear with the intercept, so only the numeric part is fitted here;
        // the one-hot coefficients pass through the transform unchanged (checked below).
        var options = new LinearFitOptions { Tolerance = 1e-15, MaxIterations = 2000 };
        var standardised = Spec(true);
        FeatureSpec NumericOnly(FeatureSpec spec) => new() { Numeric = spec.Numeric, LabelColumn = "y" };
        var scaledFit = LocalLinearSolver.Fit([FeatureEncoder.Encode(frame, NumericOnly(standardised), null).Train], options);
        var rawFit = LocalLinearSolver.Fit([FeatureEncoder.Encode(frame, NumericOnly(Spec(false)), null).Train], options);

        LinearTestData.AssertClose(rawFit.Coefficients, CoefficientTransform.ToOriginalScale(NumericOnly(standardised), scaledFit.Coefficients), 1e-6, floor: 1e-2);

        var withCategories = new[] { scaledFit.Coefficients[0], scaledFit.Coefficients[1], 0.1, 0.2, 0.3, scaledFit.Coefficients[2] };
        var original = CoefficientTransform.ToOriginalScale(standardised, withCategories);
        Assert.Equal([0.1, 0.2, 0.3], original[2..5]);
        Assert.Equal(rawFit.Coefficients[2], original[5], 1e-6);

        var described = CoefficientTransform.Describe(standardised, withCategories);
        Assert.Equal(["x1", "x2", "c=a", "c=b", "c=other", CoefficientTransform.InterceptName], described.Select(d => d.Feature));
        Assert.Equal(0.7, described[0].Value, 0.05);
    }

    private static double Std(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
