namespace Granary.Core.Inference;

/// <summary>How a <see cref="LinearPredictor"/> input feature is read.</summary>
public enum FeatureKind
{
    /// <summary>A number (booleans as 0/1); missing is imputed with the training mean.</summary>
    Numeric,

    /// <summary>A level (text, boolean or number); missing or unknown levels score as the "other" level.</summary>
    Categorical,
}
