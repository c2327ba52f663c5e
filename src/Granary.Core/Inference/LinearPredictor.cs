using System.Numerics.Tensors;
using System.Text;
using Granary.Core.Data;
using Granary.Core.Features;
using Granary.Core.Linear;

namespace Granary.Core.Inference;

/// <summary>
/// A linear model compiled for scoring: per-feature weights restated on the original scale (so a row's margin
/// is b + Σ w_j·x_j, a missing number imputed with its mean) and a frozen level → coefficient table per
/// categorical feature. Immutable and thread-safe; build it once per model version and share it. Each caller
/// fills its own <see cref="RowBuffer"/> and calls <see cref="Predict"/>, which allocates nothing.
/// Features are indexed numeric first, then categorical, in <see cref="FeatureSpec"/> order.
/// </summary>
public sealed class LinearPredictor
{
    private readonly double[] _numericWeights;  // [block · NumericCount + j]
    private readonly double[] _levelWeights;    // [block · _levelStride + _levelOffsets[c] + level]
    private readonly double[] _intercepts;      // [block]
    private readonly int[] _levelOffsets;
    private readonly int[] _otherLevels;
    private readonly int _levelStride;
    private readonly TextIndex[] _levels;
    private readonly TextIndex _names;
    private readonly string[] _featureNames;

    public LinearPredictor(FeatureSpec spec, LinearObjective objective, double[] standardizedCoefficients, string[]? classes)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(standardizedCoefficients);
        classes ??= spec.Classes;
        Blocks = objective switch
        {
            LinearObjective.Squared => 1,
            LinearObjective.Logistic when classes is { Length: 2 } => 1,
            LinearObjective.Softmax when classes is { Length: >= 2 } => classes.Length,
            LinearObjective.Logistic => throw new ArgumentException(
                $"A logistic model needs exactly two classes, got {classes?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.", nameof(classes)),
            LinearObjective.Softmax => throw new ArgumentException(
                $"A softmax model needs at least two classes, got {classes?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.", nameof(classes)),
            _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "Unknown objective."),
        };

        var width = spec.Width;
        var stride = width + 1;
        if (standardizedCoefficients.Length != Blocks * stride)
        {
            throw new ArgumentException(
                $"Expected {Blocks} block(s) of {width} weights + 1 intercept = {Blocks * stride} coefficients for {spec.Numeric.Count} numeric " +
                $"and {spec.Categorical.Count} categorical feature(s), got {standardizedCoefficients.Length}.",
                nameof(standardizedCoefficients));
        }

        for (var i = 0; i < standardizedCoefficients.Length; i++)
        {
            if (!double.IsFinite(standardizedCoefficients[i]))
            {
                throw new ArgumentException($"Coefficient {i} is not finite ({standardizedCoefficients[i]}).", nameof(standardizedCoefficients));
            }
        }

        Objective = objective;
        Classes = objective == LinearObjective.Squared ? null : (string[])classes!.Clone();
        NumericCount = spec.Numeric.Count;
        CategoricalCount = spec.Categorical.Count;
        OutputCount = objective switch
        {
            LinearObjective.Squared => 1,
            LinearObjective.Logistic => 2,
            _ => Blocks,
        };

        var original = CoefficientTransform.ToOriginalScale(spec, standardizedCoefficients);
        Means = new double[NumericCount];
        _numericWeights = new double[Blocks * NumericCount];
        _intercepts = new double[Blocks];
        _levelOffsets = new int[CategoricalCount];
        _otherLevels = new int[CategoricalCount];
        _levels = new TextIndex[CategoricalCount];
        _featureNames = new string[NumericCount + CategoricalCount];
        for (var j = 0; j < NumericCount; j++)
        {
            var feature = spec.Numeric[j];
            if (!double.IsFinite(feature.Mean))
            {
                throw new ArgumentException($"Numeric feature '{feature.Column}' has a non-finite mean ({feature.Mean}).", nameof(spec));
            }

            Means[j] = feature.Mean;
            _featureNames[j] = feature.Column;
        }

        for (var c = 0; c < CategoricalCount; c++)
        {
            var feature = spec.Categorical[c];
            _levelOffsets[c] = _levelStride;
            _otherLevels[c] = feature.Levels.Length;
            _levelStride += feature.Levels.Length + 1;
            _levels[c] = new TextIndex(feature.Levels);
            _featureNames[NumericCount + c] = feature.Column;
        }

        _levelWeights = new double[Blocks * _levelStride];
        for (var k = 0; k < Blocks; k++)
        {
            var block = original.AsSpan(k * stride, stride);
            block[..NumericCount].CopyTo(_numericWeights.AsSpan(k * NumericCount, NumericCount));
            block[NumericCount..width].CopyTo(_levelWeights.AsSpan(k * _levelStride, _levelStride));
            _intercepts[k] = block[width];
        }

        _names = new TextIndex(_featureNames);
    }

    public LinearObjective Objective { get; }

    /// <summary>Class labels by index (logistic: index 1 is the positive class); null for regression.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>Input features: <see cref="NumericCount"/> numeric, then <see cref="CategoricalCount"/> categorical.</summary>
    public int FeatureCount => NumericCount + CategoricalCount;

    public int NumericCount { get; }

    public int CategoricalCount { get; }

    /// <summary>Values per prediction: 1 (linear), 2 (logistic: P(classes[0]), P(classes[1])) or K (softmax).</summary>
    public int OutputCount { get; }

    /// <summary>Margins per row: K for softmax, else 1.</summary>
    internal int Blocks { get; }

    /// <summary>Imputation value of each numeric feature.</summary>
    internal double[] Means { get; }

    public static LinearPredictor FromArtifact(ReadOnlySpan<byte> artifactJson) => ModelArtifactReader.Read(artifactJson);

    public static LinearPredictor FromArtifact(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ModelArtifactReader.Read(Encoding.UTF8.GetBytes(json));
    }

    public string FeatureName(int feature) => _featureNames[feature];

    public FeatureKind KindOf(int feature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(feature);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(feature, FeatureCount);
        return feature < NumericCount ? FeatureKind.Numeric : FeatureKind.Categorical;
    }

    /// <summary>The index of the feature read from column <paramref name="name"/>, or −1.</summary>
    public int FindFeature(ReadOnlySpan<char> name) => _names.Find(name);

    /// <summary>The index of the feature named by UTF-8 text, or −1 (also for invalid UTF-8).</summary>
    public int FindFeature(ReadOnlySpan<byte> utf8Name) => _names.TryFind(utf8Name, out var index) ? index : -1;

    /// <summary>A fresh row for this model, every feature missing. Not thread-safe; reuse it per caller.</summary>
    public RowBuffer CreateRow() => new(this);

    /// <summary>
    /// Scores one row into <paramref name="output"/> (at least <see cref="OutputCount"/> values): the
    /// prediction (linear), P(classes[0]), P(classes[1]) (logistic) or one probability per class (softmax).
    /// </summary>
    public void Predict(RowBuffer row, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!ReferenceEquals(row.Predictor, this))
        {
            throw new ArgumentException("The row was created for another predictor.", nameof(row));
        }

        if (output.Length < OutputCount)
        {
            throw new ArgumentException($"The output needs {OutputCount} values, got {output.Length}.", nameof(output));
        }

        ReadOnlySpan<double> values = row.Values;
        ReadOnlySpan<int> levels = row.Levels;
        for (var k = 0; k < Blocks; k++)
        {
            var margin = _intercepts[k] + TensorPrimitives.Dot(_numericWeights.AsSpan(k * NumericCount, NumericCount), values);
            var table = _levelWeights.AsSpan(k * _levelStride, _levelStride);
            for (var c = 0; c < levels.Length; c++)
            {
                margin += table[_levelOffsets[c] + levels[c]];
            }

            output[k] = margin;
        }

        Transform(Objective, output[..Blocks], output);
    }

    /// <summary>
    /// Scores every row of a chunk into <paramref name="output"/>, row-major (rows × <see cref="OutputCount"/>).
    /// Columns are matched by name; a column the model needs but the frame lacks, or one of a type the
    /// feature cannot be read from, is an <see cref="ArgumentException"/>.
    /// </summary>
    public void PredictBatch(Frame frame, Span<double> output) => BatchScorer.Score(this, frame, output);

    /// <summary>The "other" level of categorical feature <paramref name="categorical"/> (0-based among categoricals).</summary>
    internal int OtherLevel(int categorical) => _otherLevels[categorical];

    internal TextIndex LevelIndex(int categorical) => _levels[categorical];

    internal double Intercept(int block) => _intercepts[block];

    internal double NumericWeight(int block, int numeric) => _numericWeights[(block * NumericCount) + numeric];

    /// <summary>The coefficient row of one categorical feature for one block, indexed by level (other last).</summary>
    internal ReadOnlySpan<double> LevelWeights(int block, int categorical) =>
        _levelWeights.AsSpan((block * _levelStride) + _levelOffsets[categorical], OtherLevel(categorical) + 1);

    /// <summary>Turns one row's margins into outputs; <paramref name="margins"/> may alias the start of the output.</summary>
    internal static void Transform(LinearObjective objective, ReadOnlySpan<double> margins, Span<double> output)
    {
        switch (objective)
        {
            case LinearObjective.Squared:
                output[0] = margins[0];
                return;
            case LinearObjective.Logistic:
                // One exponential, e = e^(−|z|) ≤ 1: the likelier class is 1 / (1 + e) and the other e / (1 + e),
                // so the small probability keeps full relative precision and nothing overflows.
                var z = margins[0];
                var tail = Math.Exp(-Math.Abs(z));
                var likely = 1.0 / (1.0 + tail);
                var unlikely = tail * likely;
                output[0] = z >= 0 ? unlikely : likely;
                output[1] = z >= 0 ? likely : unlikely;
                return;
            default:
                var max = double.NegativeInfinity;
                for (var k = 0; k < margins.Length; k++)
                {
                    max = Math.Max(max, margins[k]);
                }

                var sum = 0.0;
                for (var k = 0; k < margins.Length; k++)
                {
                    var e = Math.Exp(margins[k] - max);
                    output[k] = e;
                    sum += e;
                }

                for (var k = 0; k < margins.Length; k++)
                {
                    output[k] /= sum;
                }

                return;
        }
    }
}
