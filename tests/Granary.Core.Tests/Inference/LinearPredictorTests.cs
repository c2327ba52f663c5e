using System.Text;
using Granary.Core.Features;
using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Core.Tests.Inference;

public sealed class LinearPredictorTests
{
    public static TheoryData<LinearObjective> Objectives => [LinearObjective.Squared, LinearObjective.Logistic, LinearObjective.Softmax];

    [Theory]
    [MemberData(nameof(Objectives))]
    public void Predict_RowByRow_MatchesEncoderAndLinearLoss(LinearObjective objective)
    {
        var spec = PredictorTestData.Spec(objective);
        var frame = PredictorTestData.Frame(objective, 700, seed: 3);
        var coefficients = PredictorTestData.Coefficients(spec, objective, seed: 5);
        var expected = PredictorTestData.Expected(frame, spec, objective, coefficients);
        var predictor = new LinearPredictor(spec, objective, coefficients, spec.Classes);
        var row = predictor.CreateRow();
        var outputs = predictor.OutputCount;
        var actual = new double[outputs];

        Assert.Equal(expected.Length, frame.RowCount * outputs);
        foreach (var utf8 in new[] { false, true })
        {
            for (var r = 0; r < frame.RowCount; r++)
            {
                PredictorTestData.Fill(row, frame, r, utf8);
                predictor.Predict(row, actual);
                PredictorTestData.AssertClose(expected.AsSpan(r * outputs, outputs), actual, $"row {r} (utf8: {utf8})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Objectives))]
    public void PredictBatch_WholeFrame_MatchesEncoderAndLinearLoss(LinearObjective objective)
    {
        var spec = PredictorTestData.Spec(objective);
        var frame = PredictorTestData.Frame(objective, 2500, seed: 7);
        var coefficients = PredictorTestData.Coefficients(spec, objective, seed: 11);
        var expected = PredictorTestData.Expected(frame, spec, objective, coefficients);
        var predictor = new LinearPredictor(spec, objective, coefficients, spec.Classes);
        var actual = new double[frame.RowCount * predictor.OutputCount];

        predictor.PredictBatch(frame, actual);

        PredictorTestData.AssertClose(expected, actual, "batch");
    }

    [Fact]
    public void OutputCount_ByObjective_OneTwoOrClasses()
    {
        Assert.Equal(1, Compile(LinearObjective.Squared).OutputCount);
        Assert.Equal(2, Compile(LinearObjective.Logistic).OutputCount);
        Assert.Equal(3, Compile(LinearObjective.Softmax).OutputCount);
        Assert.Equal(7, Compile(LinearObjective.Squared).FeatureCount);
        Assert.Equal(["a", "b", "c"], Compile(LinearObjective.Softmax).Classes!);
    }

    [Fact]
    public void Predict_SteadyState_AllocatesNothing()
    {
        var predictor = Compile(LinearObjective.Softmax);
        var row = predictor.CreateRow();
        Span<double> output = stackalloc double[predictor.OutputCount];
        var red = "red"u8.ToArray();
        var x1 = predictor.FindFeature("x1");
        var color = predictor.FindFeature("color"u8);
        var size = predictor.FindFeature("size".AsSpan());

        void Once(int i, Span<double> output)
        {
            row.Reset();
            row.TrySetNumeric(x1, i * 0.001);
            row.TrySetCategorical(color, (i & 1) == 0 ? "blue".AsSpan() : "unknown".AsSpan());
            row.TrySetCategorical(color, red);
            row.TrySetNumeric(size, 2.5);
            row.SetMissing(predictor.FindFeature("x2".AsSpan()));
            predictor.Predict(row, output);
        }

        for (var i = 0; i < 100; i++)
        {
            Once(i, output);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            Once(i, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PredictBatch_SteadyState_AllocatesNothing()
    {
        var frame = PredictorTestData.Frame(LinearObjective.Softmax, 1500, seed: 19);
        var predictor = Compile(LinearObjective.Softmax);
        var output = new double[frame.RowCount * predictor.OutputCount];
        predictor.PredictBatch(frame, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            predictor.PredictBatch(frame, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PredictBatch_MissingColumn_ThrowsNamingIt()
    {
        var frame = PredictorTestData.Frame(LinearObjective.Squared, 10, seed: 1);
        var spec = PredictorTestData.Spec(LinearObjective.Squared);
        var renamed = new Granary.Core.Features.FeatureSpec
        {
            Numeric = [.. spec.Numeric, new Granary.Core.Features.NumericFeature("absent", 0, 1)],
            Categorical = spec.Categorical,
            LabelColumn = "y",
        };
        var predictor = new LinearPredictor(renamed, LinearObjective.Squared, new double[renamed.Width + 1], null);

        var e = Assert.Throws<ArgumentException>(() => predictor.PredictBatch(frame, new double[10]));
        Assert.Contains("'absent'", e.Message);
    }

    [Fact]
    public void Predict_HugeMargins_SoftmaxStaysFinite()
    {
        var spec = PredictorTestData.Spec(LinearObjective.Softmax);
        var predictor = new LinearPredictor(spec, LinearObjective.Softmax, PredictorTestData.Coefficients(spec, LinearObjective.Softmax, 1, scale: 5000), null);
        var row = predictor.CreateRow();
        row.TrySetNumeric(0, 1e3);
        var output = new double[3];

        predictor.Predict(row, output);

        Assert.All(output, p => Assert.True(double.IsFinite(p) && p >= 0));
        Assert.Equal(1.0, output.Sum(), 12);
    }

    [Fact]
    public void Predict_RowOfAnotherPredictor_Throws()
    {
        var row = Compile(LinearObjective.Squared).CreateRow();

        Assert.Throws<ArgumentException>(() => Compile(LinearObjective.Squared).Predict(row, new double[1]));
    }

    [Fact]
    public void Constructor_CoefficientCountMismatch_ThrowsNamingTheCounts()
    {
        var spec = PredictorTestData.Spec(LinearObjective.Squared);

        var e = Assert.Throws<ArgumentException>(() => new LinearPredictor(spec, LinearObjective.Squared, new double[spec.Width], null));
        Assert.Contains($"{spec.Width + 1} coefficients", e.Message);
    }

    [Fact]
    public void Constructor_LogisticWithThreeClasses_Throws()
    {
        var spec = PredictorTestData.Spec(LinearObjective.Softmax);

        Assert.Throws<ArgumentException>(() => new LinearPredictor(spec, LinearObjective.Logistic, new double[spec.Width + 1], null));
    }

    [Theory]
    [MemberData(nameof(Objectives))]
    public void FromArtifact_DocumentAsTrainingWritesIt_ScoresLikeTheConstructedPredictor(LinearObjective objective)
    {
        var spec = PredictorTestData.Spec(objective);
        var frame = PredictorTestData.Frame(objective, 300, seed: 13);
        var coefficients = PredictorTestData.Coefficients(spec, objective, seed: 17);
        var json = PredictorTestData.Artifact(spec, objective, coefficients);
        var expected = PredictorTestData.Expected(frame, spec, objective, coefficients);

        foreach (var predictor in new[] { LinearPredictor.FromArtifact(json), LinearPredictor.FromArtifact(Encoding.UTF8.GetBytes(json)) })
        {
            Assert.Equal(objective, predictor.Objective);
            Assert.Equal(spec.Classes, predictor.Classes);
            var actual = new double[frame.RowCount * predictor.OutputCount];
            predictor.PredictBatch(frame, actual);
            PredictorTestData.AssertClose(expected, actual, "artifact");
        }
    }

    [Theory]
    [InlineData("\"granary.linear/1\"", "\"granary.linear/2\"", "Unsupported model format 'granary.linear/2'")]
    [InlineData("\"objective\": \"squared\"", "\"objective\": \"poisson\"", "Unknown objective 'poisson'")]
    [InlineData("\"x1\",", "\"z1\",", "Feature name 0 is 'z1'")]
    [InlineData("\"standardizedCoefficients\": [", "\"standardizedCoefficients\": [ 1.5,", "inconsistent: Expected 1 block(s)")]
    [InlineData("\"standardizedCoefficients\": [", "\"standardizedCoefficients\": [ \"1\",", "'standardizedCoefficients'[0] must be a number")]
    [InlineData("\"LabelColumn\": \"y\"", "\"Label\": \"y\"", "not a valid feature encoding")]
    [InlineData("\"format\"", "\"formats\"", "no 'format'")]
    [InlineData("{", "[", "not valid JSON")]
    public void FromArtifact_BadDocument_ThrowsInvalidDataNamingTheProblem(string find, string replace, string message)
    {
        var spec = PredictorTestData.Spec(LinearObjective.Squared);
        var json = PredictorTestData.Artifact(spec, LinearObjective.Squared, PredictorTestData.Coefficients(spec, LinearObjective.Squared, 1));
        var index = json.IndexOf(find, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{find}' is not in the artifact.");
        var broken = string.Concat(json.AsSpan(0, index), replace, json.AsSpan(index + find.Length));

        var e = Assert.Throws<InvalidDataException>(() => LinearPredictor.FromArtifact(broken));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void FromArtifact_ArtifactText_IsTheFormatDocumentedInModelsMd()
    {
        var spec = PredictorTestData.Spec(LinearObjective.Logistic);
        var json = PredictorTestData.Artifact(spec, LinearObjective.Logistic, PredictorTestData.Coefficients(spec, LinearObjective.Logistic, 2));

        Assert.Contains("\"format\": \"granary.linear/1\"", json);
        Assert.Contains("\"color=gr\\u00FCn\"", json);
        Assert.Equal(7, LinearPredictor.FromArtifact(json).FeatureCount);
    }

    private static LinearPredictor Compile(LinearObjective objective)
    {
        var spec = PredictorTestData.Spec(objective);
        return new LinearPredictor(spec, objective, PredictorTestData.Coefficients(spec, objective, 1), spec.Classes);
    }
}
