using System.Text.Json.Serialization;

namespace Granary.Core.Features;

/// <summary>How the label column is read.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LabelKind>))]
public enum LabelKind
{
    /// <summary>The label is a number (boolean labels read as 0/1).</summary>
    Regression,

    /// <summary>The label is one of <see cref="FeatureSpec.Classes"/>, encoded as its index.</summary>
    Classification,
}
