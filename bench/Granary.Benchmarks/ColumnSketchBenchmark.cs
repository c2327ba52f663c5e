using BenchmarkDotNet.Attributes;
using Granary.Core.Data;
using Granary.Core.Sketches;

namespace Granary.Benchmarks;

/// <summary>Cost of profiling one 262,144-row numeric column: add, merge of four chunk sketches, serialise.</summary>
[MemoryDiagnoser]
public class ColumnSketchBenchmark
{
    private const int Rows = 262_144;
    private static readonly ColumnSchema Schema = new("x", ColumnType.Numeric);

    private NumericColumn _column = null!;
    private ColumnSketch[] _chunks = null!;
    private ColumnSketch _merged = null!;

    [GlobalSetup]
    public void Setup()
    {
        _column = new NumericColumn("x", SketchThroughputCheck.Generate(Rows, 1));
        _chunks = new ColumnSketch[4];
        for (var i = 0; i < _chunks.Length; i++)
        {
            _chunks[i] = ColumnSketch.Create(Schema);
            _chunks[i].Add(new NumericColumn("x", SketchThroughputCheck.Generate(Rows, i + 10)));
        }

        _merged = Merge();
    }

    [Benchmark]
    public ColumnSketch Add()
    {
        var sketch = ColumnSketch.Create(Schema);
        sketch.Add(_column);
        return sketch;
    }

    [Benchmark]
    public ColumnSketch Merge()
    {
        var merged = ColumnSketch.Create(Schema);
        foreach (var chunk in _chunks)
        {
            merged.Merge(chunk);
        }

        return merged;
    }

    [Benchmark]
    public byte[] Serialize() => _merged.Serialize();

    [Benchmark]
    public ColumnSketch Deserialize() => ColumnSketch.Deserialize(_chunks[0].Serialize());

    [Benchmark]
    public ColumnProfile ToProfile() => _merged.ToProfile();
}
