using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Core.Tests.Inference;

public sealed class RowBufferTests
{
    private readonly LinearPredictor _predictor;

    public RowBufferTests()
    {
        var spec = PredictorTestData.Spec(LinearObjective.Squared);
        _predictor = new LinearPredictor(spec, LinearObjective.Squared, PredictorTestData.Coefficients(spec, LinearObjective.Squared, 9), null);
    }

    [Fact]
    public void FindFeature_KnownAndUnknownNames_IndexOrMinusOne()
    {
        Assert.Equal(0, _predictor.FindFeature("x1"));
        Assert.Equal(4, _predictor.FindFeature("color"u8));
        Assert.Equal(FeatureKind.Categorical, _predictor.KindOf(4));
        Assert.Equal(FeatureKind.Numeric, _predictor.KindOf(3));
        Assert.Equal(-1, _predictor.FindFeature("X1"));
        Assert.Equal(-1, _predictor.FindFeature("a much longer name than any feature"u8));
        Assert.Equal(-1, _predictor.FindFeature([0xFF, 0xFE]));
    }

    [Fact]
    public void TrySetCategorical_NumericFeature_FalseAndRowUnchanged()
    {
        var row = _predictor.CreateRow();

        Assert.False(row.TrySetCategorical(0, "12"));
        Assert.False(row.TrySetCategorical(0, "12"u8));
        Assert.False(row.IsSet(0));
        Assert.Equal(Score(_predictor.CreateRow()), Score(row));
    }

    [Fact]
    public void TrySetCategorical_InvalidUtf8_False()
    {
        var row = _predictor.CreateRow();

        Assert.False(row.TrySetCategorical(4, [0x72, 0xC3]));
        Assert.False(row.TrySetCategorical(4, [0xC3, 0x28, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]));
        Assert.False(row.IsSet(4));
    }

    [Fact]
    public void TrySetCategorical_UnknownLevel_ScoresAsMissing()
    {
        var unknown = _predictor.CreateRow();
        var longUnknown = _predictor.CreateRow();
        var missing = _predictor.CreateRow();

        Assert.True(unknown.TrySetCategorical(4, "purple"));
        Assert.True(longUnknown.TrySetCategorical(4, "a level far longer than every known level"u8));
        missing.SetMissing(4);

        Assert.True(unknown.IsSet(4));
        Assert.Equal(Score(missing), Score(unknown));
        Assert.Equal(Score(missing), Score(longUnknown));
    }

    [Fact]
    public void TrySetCategorical_CharsAndUtf8_SameLevel()
    {
        var chars = _predictor.CreateRow();
        var bytes = _predictor.CreateRow();
        var other = _predictor.CreateRow();

        chars.TrySetCategorical(4, "grün");
        bytes.TrySetCategorical(4, "grün"u8);

        Assert.Equal(Score(chars), Score(bytes));
        Assert.NotEqual(Score(other), Score(chars));
    }

    [Fact]
    public void TrySetNumeric_CategoricalFeature_ReadsTheInvariantText()
    {
        var number = _predictor.CreateRow();
        var text = _predictor.CreateRow();

        Assert.True(number.TrySetNumeric(5, 2.5));
        Assert.True(text.TrySetCategorical(5, "2.5"));

        Assert.Equal(Score(text), Score(number));
    }

    [Fact]
    public void TrySetNumeric_NaN_IsMissingAndImputedWithTheMean()
    {
        var nan = _predictor.CreateRow();
        var mean = _predictor.CreateRow();

        nan.TrySetNumeric(0, 7.0);
        nan.TrySetNumeric(0, double.NaN);
        mean.TrySetNumeric(0, 3.0);

        Assert.False(nan.IsSet(0));
        Assert.Equal(Score(mean), Score(nan), 12);
    }

    [Fact]
    public void Reset_AfterValues_ScoresLikeAFreshRow()
    {
        var row = _predictor.CreateRow();
        row.TrySetNumeric(1, 42);
        row.TrySetBoolean(6, true);
        row.TrySetCategorical(4, "red");

        row.Reset();

        Assert.Equal(Score(_predictor.CreateRow()), Score(row));
        Assert.All(Enumerable.Range(0, row.FeatureCount), f => Assert.False(row.IsSet(f)));
    }

    [Fact]
    public void SetMissing_OutOfRange_Throws()
    {
        var row = _predictor.CreateRow();

        Assert.Throws<ArgumentOutOfRangeException>(() => row.SetMissing(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => row.TrySetNumeric(-1, 1));
    }

    private double Score(RowBuffer row)
    {
        Span<double> output = stackalloc double[1];
        _predictor.Predict(row, output);
        return output[0];
    }
}
