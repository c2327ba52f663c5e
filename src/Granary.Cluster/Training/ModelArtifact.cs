using System.Text.Json;
using System.Text.Json.Nodes;
using Granary.Core.Features;
using Granary.Core.Linear;

namespace Granary.Cluster.Training;

/// <summary>
/// The portable model document (format <c>granary.linear/1</c>, see docs/models.md): the feature encoding,
/// the coefficients as optimised (standardised scale) and restated on the original scale by feature name.
/// Everything needed to score a row without Granary.
/// </summary>
public static class ModelArtifact
{
    public const string Format = "granary.linear/1";

    public static string Create(string algorithm, FeatureSpec features, TrainingPlan plan, double[] coefficients)
    {
        var objective = (LinearObjective)plan.Objective;
        var described = CoefficientTransform.Describe(features, coefficients);
        var byClass = new JsonObject();
        var flat = new JsonObject();
        var intercepts = new JsonObject();
        foreach (var coefficient in described)
        {
            var target = coefficient.Class is null ? flat : (JsonObject)(byClass[coefficient.Class] ??= new JsonObject());
            if (coefficient.Feature == CoefficientTransform.InterceptName)
            {
                intercepts[coefficient.Class ?? "value"] = coefficient.Value;
            }
            else
            {
                target[coefficient.Feature] = coefficient.Value;
            }
        }

        var document = new JsonObject
        {
            ["format"] = Format,
            ["algorithm"] = algorithm,
            ["objective"] = objective.ToString().ToLowerInvariant(),
            ["fitIntercept"] = plan.FitIntercept,
            ["classes"] = features.Classes is null ? null : new JsonArray(features.Classes.Select(c => (JsonNode?)c).ToArray()),
            ["featureNames"] = new JsonArray(features.FeatureNames.Select(n => (JsonNode?)n).ToArray()),
            ["features"] = JsonSerializer.SerializeToNode(features, Client.GranaryJson.Options),
            ["coefficients"] = objective == LinearObjective.Softmax ? byClass : flat,
            ["intercept"] = objective == LinearObjective.Softmax ? intercepts : intercepts["value"]?.DeepClone(),
            ["standardizedCoefficients"] = new JsonArray(coefficients.Select(c => (JsonNode?)c).ToArray()),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
