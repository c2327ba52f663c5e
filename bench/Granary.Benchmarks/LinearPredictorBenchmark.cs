using BenchmarkDotNet.Attributes;
using Granary.Core.Data;
using Granary.Core.Features;
using Granary.Core.Inference;
using Granary.Core.Linear;

namespace Granary.Benchmarks;

/// <summary>
/// Scoring a 32-feature logistic model: one row (fill 32 numeric slots, then Predict) and the batch path
/// over a 4,096-row chunk, reported per row.
/// </summary>
[MemoryDiagnoser]
public class LinearPredictorBenchmark
{
    public const int Features = 32;
    public const int BatchRows = 4096;

    private LinearPredictor _predictor = null!;
    private RowBuffer _row = null!;
    private double[] _values = null!;
    private double[] _output = null!;
    private Frame _frame = null!;
    private double[] _batchOutput = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var spec = new FeatureSpec
        {
            Numeric = Enumerable.Range(0, Features).Select(j => new NumericFeature($"x{j}", random.NextDouble(), 0.5 + random.NextDouble())).ToArray(),
            LabelColumn = "y",
            LabelKind = LabelKind.Classification,
            Classes = ["no", "yes"],
        };
        var coefficients = Enumerable.Range(0, Features + 1).Select(_ => random.NextDouble() - 0.5).ToArray();
        _predictor = new LinearPredictor(spec, LinearObjective.Logistic, coefficients, spec.Classes);
        _row = _predictor.CreateRow();
        _values = Enumerable.Range(0, Features).Select(_ => random.NextDouble() * 2).ToArray();
        _output = new double[_predictor.OutputCount];

        var columns = Enumerable.Range(0, Features)
            .Select(j => (Column)new NumericColumn($"x{j}", Enumerable.Range(0, BatchRows).Select(_ => random.NextDouble() * 2).ToArray()))
            .ToArray();
        _frame = new Frame(new DatasetSchema(columns.Select(c => new ColumnSchema(c.Name, c.Type)).ToArray()), columns, BatchRows);
        _batchOutput = new double[BatchRows * _predictor.OutputCount];
    }

    [Benchmark]
    public double SingleRow()
    {
        var values = _values;
        for (var j = 0; j < values.Length; j++)
        {
            _row.TrySetNumeric(j, values[j]);
        }

        _predictor.Predict(_row, _output);
        return _output[1];
    }

    /// <summary>The reported mean is per row.</summary>
    [Benchmark(OperationsPerInvoke = BatchRows)]
    public double BatchPerRow()
    {
        _predictor.PredictBatch(_frame, _batchOutput);
        return _batchOutput[1];
    }
}
