using System.Text.Json.Serialization;

namespace Granary.Core.Features;

/// <summary>
/// How raw columns become <see cref="Linear.DesignMatrix"/> columns: numeric features first (in order), then
/// each categorical feature's levels followed by its "other" column. Stored as JSON with the model, so a model
/// is always applied with the encoding it was trained with.
/// </summary>
public sealed class FeatureSpec
{
    public IReadOnlyList<NumericFeature> Numeric { get; init; } = [];

    public IReadOnlyList<CategoricalFeature> Categorical { get; init; } = [];

    public required string LabelColumn { get; init; }

    public LabelKind LabelKind { get; init; } = LabelKind.Regression;

    /// <summary>
    /// Classification only: label values by class index. Logistic uses exactly two, index 1 the positive class.
    /// Boolean labels read as "false"/"true"; numeric labels by their invariant text ("0", "1", "2.5").
    /// </summary>
    public string[]? Classes { get; init; }

    /// <summary>Optional weight per class index, applied as the sample weight of each row.</summary>
    public double[]? ClassWeights { get; init; }

    /// <summary>Number of encoded feature columns (intercept excluded).</summary>
    [JsonIgnore]
    public int Width => Numeric.Count + Categorical.Sum(c => c.Levels.Length + 1);

    /// <summary>Names of the encoded columns: "age", "color=red", "color=other".</summary>
    [JsonIgnore]
    public IReadOnlyList<string> FeatureNames
    {
        get
        {
            var names = new List<string>(Width);
            names.AddRange(Numeric.Select(n => n.Column));
            foreach (var c in Categorical)
            {
                names.AddRange(c.Levels.Select(level => $"{c.Column}={level}"));
                names.Add($"{c.Column}=other");
            }

            return names;
        }
    }
}
