using System.Text.Json;
using Granary.Core.Data;
using Granary.Core.Features;

namespace Granary.Core.Tests.Features;

public sealed class FeatureEncoderTests
{
    [Fact]
    public void Encode_NumericFeatures_ImputesThenStandardises()
    {
        var frame = Frame(
            new NumericColumn("x", [1.0, double.NaN, 5.0]),
            new BooleanColumn("b", [1, BooleanColumn.Missing, 0]),
            new NumericColumn("y", [10.0, 20.0, 30.0]));
        var spec = new FeatureSpec
        {
            Numeric = [new NumericFeature("x", 3.0, 2.0), new NumericFeature("b", 0.25, 0.5, Standardize: false)],
            LabelColumn = "y",
        };
        var (train, validation, dropped) = FeatureEncoder.Encode(frame, spec, null);

        Assert.Null(validation);
        Assert.Equal(0, dropped);
        Assert.Equal([-1.0, 0.0, 1.0], train.Columns[0]);
        Assert.Equal([1.0, 0.25, 0.0], train.Columns[1]);
        Assert.Equal([10.0, 20.0, 30.0], train.Labels);
        Assert.Null(train.Weights);
    }

    [Fact]
    public void Encode_Categorical_OneHotWithOtherForUnknownAndMissing()
    {
        var frame = Frame(
            new StringColumn("color", ["red", "blue", null, "green", "red"]),
            new NumericColumn("n", [1.0, 2.0, 1.0, 3.0, double.NaN]),
            new NumericColumn("y", [1.0, 2.0, 3.0, 4.0, 5.0]));
        var spec = new FeatureSpec
        {
            Categorical = [new CategoricalFeature("color", ["red", "blue"]), new CategoricalFeature("n", ["1", "2"])],
            LabelColumn = "y",
        };
        var (train, _, _) = FeatureEncoder.Encode(frame, spec, null);

        Assert.Equal(6, spec.Width);
        Assert.Equal(["color=red", "color=blue", "color=other", "n=1", "n=2", "n=other"], spec.FeatureNames);
        Assert.Equal([1.0, 0, 0, 0, 1], train.Columns[0]);
        Assert.Equal([0.0, 1, 0, 0, 0], train.Columns[1]);
        Assert.Equal([0.0, 0, 1, 1, 0], train.Columns[2]);
        Assert.Equal([1.0, 0, 1, 0, 0], train.Columns[3]);
        Assert.Equal([0.0, 1, 0, 0, 0], train.Columns[4]);
        Assert.Equal([0.0, 0, 0, 1, 1], train.Columns[5]);
    }

    [Fact]
    public void Encode_MissingLabels_DroppedAndCounted()
    {
        var frame = Frame(
            new NumericColumn("x", [1.0, 2.0, 3.0, 4.0]),
            new StringColumn("label", ["yes", null, "no", null]));
        var spec = new FeatureSpec
        {
            Numeric = [new NumericFeature("x", 0, 1, Standardize: false)],
            LabelColumn = "label",
            LabelKind = LabelKind.Classification,
            Classes = ["no", "yes"],
            ClassWeights = [1.0, 4.0],
        };
        var (train, _, dropped) = FeatureEncoder.Encode(frame, spec, null);

        Assert.Equal(2, dropped);
        Assert.Equal(2, train.Rows);
        Assert.Equal([1.0, 3.0], train.Columns[0]);
        Assert.Equal([1.0, 0.0], train.Labels);
        Assert.Equal([4.0, 1.0], train.Weights!);
    }

    [Fact]
    public void Encode_BooleanAndNumericClassLabels_MapByInvariantText()
    {
        var frame = Frame(
            new BooleanColumn("b", [1, 0, BooleanColumn.Missing]),
            new NumericColumn("n", [2.0, 0.0, 1.0]));
        var boolSpec = new FeatureSpec { LabelColumn = "b", LabelKind = LabelKind.Classification, Classes = ["false", "true"] };
        var numericSpec = new FeatureSpec { LabelColumn = "n", LabelKind = LabelKind.Classification, Classes = ["0", "1", "2"] };

        var (boolTrain, _, boolDropped) = FeatureEncoder.Encode(frame, boolSpec, null);
        var (numericTrain, _, _) = FeatureEncoder.Encode(frame, numericSpec, null);

        Assert.Equal([1.0, 0.0], boolTrain.Labels);
        Assert.Equal(1, boolDropped);
        Assert.Equal([2.0, 0.0, 1.0], numericTrain.Labels);
    }

    [Fact]
    public void Encode_UnknownClass_ThrowsNamingTheValue()
    {
        var frame = Frame(new StringColumn("label", ["no", "maybe"]));
        var spec = new FeatureSpec { LabelColumn = "label", LabelKind = LabelKind.Classification, Classes = ["no", "yes"] };
        var error = Assert.Throws<InvalidDataException>(() => FeatureEncoder.Encode(frame, spec, null));
        Assert.Contains("'maybe'", error.Message);
    }

    [Fact]
    public void Encode_Split_DeterministicWithFractionWithinTolerance()
    {
        const int rows = 100_000;
        var frame = Frame(
            new NumericColumn("x", Enumerable.Range(0, rows).Select(i => (double)i).ToArray()),
            new NumericColumn("y", new double[rows]));
        var spec = new FeatureSpec { Numeric = [new NumericFeature("x", 0, 1, Standardize: false)], LabelColumn = "y" };
        var split = new ValidationSplit(0.2, 42, 7);

        var first = FeatureEncoder.Encode(frame, spec, split);
        var second = FeatureEncoder.Encode(frame, spec, split with { });
        var otherChunk = FeatureEncoder.Encode(frame, spec, split with { Salt = 8 });

        Assert.Equal(first.Validation!.Columns[0], second.Validation!.Columns[0]);
        Assert.Equal(rows, first.Train.Rows + first.Validation.Rows);

        // Binomial sd of the fraction is √(0.2·0.8/1e5) ≈ 0.0013; allow 5 sd.
        Assert.InRange(first.Validation.Rows / (double)rows, 0.2 - 0.0065, 0.2 + 0.0065);
        Assert.NotEqual(first.Validation.Columns[0], otherChunk.Validation!.Columns[0]);

        // The row's side is a function of the row alone.
        foreach (var v in first.Validation.Columns[0].Take(100))
        {
            Assert.True(split.IsValidation((long)v));
        }
    }

    [Fact]
    public void FeatureSpec_JsonRoundTrip_KeepsEverything()
    {
        var spec = new FeatureSpec
        {
            Numeric = [new NumericFeature("x", 1.5, 2.5)],
            Categorical = [new CategoricalFeature("c", ["a", "b"])],
            LabelColumn = "y",
            LabelKind = LabelKind.Classification,
            Classes = ["0", "1"],
            ClassWeights = [1, 3],
        };
        var json = JsonSerializer.Serialize(spec);
        var copy = JsonSerializer.Deserialize<FeatureSpec>(json)!;

        Assert.Contains("\"Classification\"", json);
        Assert.Equal(spec.Numeric, copy.Numeric);
        Assert.Equal(spec.Categorical[0].Levels, copy.Categorical[0].Levels);
        Assert.Equal(spec.Classes, copy.Classes!);
        Assert.Equal(spec.ClassWeights, copy.ClassWeights!);
        Assert.Equal(spec.FeatureNames, copy.FeatureNames);
    }

    [Fact]
    public void Encode_LargeChunk_AllocatesOnlyOutputArrays()
    {
        const int rows = 100_000;
        var random = new Random(5);
        var frame = Frame(
            new NumericColumn("x", Enumerable.Range(0, rows).Select(_ => random.NextDouble()).ToArray()),
            new NumericColumn("k", Enumerable.Range(0, rows).Select(_ => (double)random.Next(5)).ToArray()),
            new StringColumn("s", Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? "a" : "b").ToArray()),
            new BooleanColumn("y", Enumerable.Range(0, rows).Select(i => (byte)(i % 2)).ToArray()));
        var spec = new FeatureSpec
        {
            Numeric = [new NumericFeature("x", 0.5, 0.3)],
            Categorical = [new CategoricalFeature("k", ["0", "1", "2"]), new CategoricalFeature("s", ["a"])],
            LabelColumn = "y",
            LabelKind = LabelKind.Classification,
            Classes = ["false", "true"],
        };
        FeatureEncoder.Encode(frame, spec, new ValidationSplit(0.1, 1, 2));

        var before = GC.GetAllocatedBytesForCurrentThread();
        FeatureEncoder.Encode(frame, spec, new ValidationSplit(0.1, 1, 2));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Output: 7 feature columns + labels as doubles, plus the per-chunk label and side scratch arrays.
        var expected = (rows * 8L * 8) + (rows * 9L);
        Assert.True(allocated < expected + 64_000, $"allocated {allocated:N0} bytes, expected about {expected:N0}");
    }

    internal static Frame Frame(params Column[] columns) =>
        new(new DatasetSchema(columns.Select(c => new ColumnSchema(c.Name, c.Type)).ToArray()), columns, columns[0].Length);
}
