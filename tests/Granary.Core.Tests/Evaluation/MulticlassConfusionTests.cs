using Granary.Core.Evaluation;

namespace Granary.Core.Tests.Evaluation;

public sealed class MulticlassConfusionTests
{
    // Hand-worked: actual/predicted pairs give the matrix
    //   actual 0: [2, 1, 0]   actual 1: [1, 2, 0]   actual 2: [1, 1, 0]   (class 2 never predicted)
    private static readonly double[] Labels = [0, 0, 0, 1, 1, 1, 2, 2];
    private static readonly int[] Predicted = [0, 0, 1, 1, 0, 1, 0, 1];

    [Fact]
    public void Metrics_HandWorkedThreeClass_MatchHandValues()
    {
        var confusion = MulticlassConfusion.FromPredictions(3, Labels, Predicted);

        Assert.Equal(0.5, confusion.Accuracy);
        Assert.Equal([2.0, 1.0, 0.0], [confusion[0, 0], confusion[0, 1], confusion[0, 2]]);
        Assert.Equal(0.5, confusion.Precision(0), 1e-15);
        Assert.Equal(2.0 / 3, confusion.Recall(0), 1e-15);
        Assert.Equal(4.0 / 7, confusion.F1(0), 1e-15);
        Assert.Equal(4.0 / 7, confusion.F1(1), 1e-15);
        Assert.Equal(0.0, confusion.Precision(2)); // never predicted → 0 by rule
        Assert.Equal(0.0, confusion.Recall(2));
        Assert.Equal(0.0, confusion.F1(2));
        Assert.Equal(2.0, confusion.Support(2));
        Assert.Equal(1.0 / 3, confusion.MacroPrecision, 1e-15);
        Assert.Equal(4.0 / 9, confusion.MacroRecall, 1e-15);
        Assert.Equal(8.0 / 21, confusion.MacroF1, 1e-15);
        Assert.Equal(0.5, confusion.Micro);
        Assert.Null(confusion.LogLoss);
    }

    [Fact]
    public void Macro_ClassAbsentFromActualAndPredicted_IsExcluded()
    {
        var confusion = MulticlassConfusion.FromPredictions(4, [0, 1], [0, 1]);

        Assert.Equal(1.0, confusion.MacroF1);
    }

    [Fact]
    public void FromProbabilities_Merged_EqualsDirectLogLossAndArgMax()
    {
        double[] probabilities = [0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4, 0.0, 1.0, 0.0];
        double[] labels = [0, 1, 2, 0];
        double[] weights = [1, 2, 1, 0.5];
        var direct = -((1 * Math.Log(0.7)) + (2 * Math.Log(0.1)) + (1 * Math.Log(0.4)) + (0.5 * Math.Log(1e-15)));

        var merged = MulticlassConfusion.FromProbabilities(3, probabilities.AsSpan(0, 6), labels.AsSpan(0, 2), weights.AsSpan(0, 2));
        merged.Add(MulticlassConfusion.FromProbabilities(3, probabilities.AsSpan(6), labels.AsSpan(2), weights.AsSpan(2)));

        Assert.Equal(direct / 4.5, merged.LogLoss!.Value, 1e-12);
        Assert.Equal(1.0, merged[0, 0]);
        Assert.Equal(2.0, merged[1, 2]);
        Assert.Equal(1.0, merged[2, 2]);
        Assert.Equal(0.5, merged[0, 1]);
        Assert.Equal(2.0 / 4.5, merged.Accuracy!.Value, 1e-15);
    }

    [Fact]
    public void Add_ChunksInAnyOrder_EqualsWhole()
    {
        var whole = MulticlassConfusion.FromPredictions(3, Labels, Predicted);
        var merged = MulticlassConfusion.FromPredictions(3, Labels.AsSpan(5), Predicted.AsSpan(5));
        merged.Add(MulticlassConfusion.FromPredictions(3, [], []));
        merged.Add(MulticlassConfusion.FromPredictions(3, Labels.AsSpan(0, 5), Predicted.AsSpan(0, 5)));

        Assert.Equal(whole.Serialize(), merged.Serialize());
    }

    [Fact]
    public void Serialize_RoundTrip_PreservesEverything()
    {
        var confusion = MulticlassConfusion.FromProbabilities(2, [0.2, 0.8, 0.9, 0.1], [1, 1]);

        var copy = MulticlassConfusion.Deserialize(confusion.Serialize());

        Assert.Equal(confusion.Serialize(), copy.Serialize());
        Assert.Equal(confusion.LogLoss, copy.LogLoss);
        Assert.Equal(confusion.Rows, copy.Rows);
    }

    [Fact]
    public void Empty_AccuracyAndLogLoss_AreNull()
    {
        var confusion = new MulticlassConfusion(3);

        Assert.Null(confusion.Accuracy);
        Assert.Null(confusion.LogLoss);
        Assert.Equal(0.0, confusion.MacroF1);
    }

    [Fact]
    public void FromPredictions_LabelOutOfRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => MulticlassConfusion.FromPredictions(2, [2], [0]));
        Assert.Throws<ArgumentException>(() => MulticlassConfusion.FromPredictions(2, [0.5], [0]));
        Assert.Throws<ArgumentException>(() => MulticlassConfusion.FromPredictions(2, [0], [5]));
    }
}
