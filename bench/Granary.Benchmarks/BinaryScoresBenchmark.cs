using BenchmarkDotNet.Attributes;
using Granary.Core.Evaluation;

namespace Granary.Benchmarks;

/// <summary>
/// Building the exact binary-scores partial of one 262,144-row chunk (random probabilities, ~all distinct),
/// and the coordinator's side: k-way merge of four such partials plus the exact ROC AUC.
/// </summary>
[MemoryDiagnoser]
public class BinaryScoresBenchmark
{
    public const int Rows = 262_144;

    private double[][] _scores = null!;
    private double[][] _labels = null!;
    private BinaryScores[] _partials = null!;
    private BinaryScores _merged = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _scores = new double[4][];
        _labels = new double[4][];
        for (var c = 0; c < 4; c++)
        {
            _scores[c] = new double[Rows];
            _labels[c] = new double[Rows];
            for (var i = 0; i < Rows; i++)
            {
                _scores[c][i] = random.NextDouble();
                _labels[c][i] = random.NextDouble() < _scores[c][i] ? 1 : 0;
            }
        }

        _partials = Enumerable.Range(0, 4).Select(c => BinaryScores.FromChunk(_scores[c], _labels[c])).ToArray();
        _merged = BinaryScores.Merge(_partials);
    }

    /// <summary>Divide by <see cref="Rows"/> for ns/row.</summary>
    [Benchmark]
    public int BuildChunkPartial() => BinaryScores.FromChunk(_scores[0], _labels[0]).DistinctScores;

    [Benchmark]
    public double MergeFourAndAuc() => BinaryScores.Merge(_partials).RocAuc()!.Value;

    /// <summary>The AUC pass alone over the merged run of 1,048,576 distinct scores.</summary>
    [Benchmark]
    public double AucOfMerged() => _merged.RocAuc()!.Value;
}
