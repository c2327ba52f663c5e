using System.Text.Json;
using Granary.Cluster.Serving;
using Granary.Core.Inference;
using Granary.Core.Linear;
using Granary.Server.Problems;
using Granary.Storage.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Granary.Server.Inference;

/// <summary>Resolves a reference to a compiled predictor, and fills rows from JSON with field-level errors.</summary>
public sealed class ModelServing(ModelResolver resolver, PredictorCache predictors)
{
    public async Task<(ModelVersionRecord? Version, LinearPredictor? Predictor, ProblemHttpResult? Problem)> LoadAsync(string reference, CancellationToken cancellationToken)
    {
        if (!ModelRef.TryParse(reference, out var parsed))
        {
            return (null, null, ProblemResults.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidName,
                $"Invalid model reference '{ProblemResults.Truncate(reference)}': use name, name@version or name@alias."));
        }

        var (version, error) = await resolver.ResolveAsync(parsed, cancellationToken);
        if (version is null)
        {
            var detail = error switch
            {
                "alias_not_found" => $"Model '{parsed.Name}' has no alias '{parsed.Alias}'.",
                "version_not_found" => $"Model '{parsed}' has no such version.",
                _ => $"Model '{parsed.Name}' does not exist.",
            };
            return (null, null, ProblemResults.Create(StatusCodes.Status404NotFound, error ?? ErrorCodes.ModelNotFound, detail));
        }

        return (version, await predictors.GetAsync(version.ArtifactPath, cancellationToken), null);
    }

    /// <summary>Sets one field of a row; null when it fits, else why not. Unknown fields are ignored.</summary>
    public static string? SetField(RowBuffer row, string name, JsonElement value)
    {
        var feature = row.FindFeature(name);
        if (feature < 0)
        {
            return null;
        }

        var categorical = row.Predictor.KindOf(feature) == FeatureKind.Categorical;
        var accepted = value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => SetMissing(row, feature),
            JsonValueKind.Number => row.TrySetNumeric(feature, value.GetDouble()),
            JsonValueKind.True => row.TrySetBoolean(feature, true),
            JsonValueKind.False => row.TrySetBoolean(feature, false),
            JsonValueKind.String when categorical => row.TrySetCategorical(feature, value.GetString().AsSpan()),
            _ => false,
        };
        return accepted ? null : $"'{name}' must be {(categorical ? "a string, number or boolean level" : "a number or boolean")}, not {value.ValueKind.ToString().ToLowerInvariant()}.";
    }

    public static RowPrediction Describe(LinearPredictor predictor, ReadOnlySpan<double> output)
    {
        if (predictor.Objective == LinearObjective.Squared || predictor.Classes is null)
        {
            return new RowPrediction(JsonSerializer.SerializeToElement(output[0]), null);
        }

        var classes = predictor.Classes;
        var probabilities = new Dictionary<string, double>(classes.Count, StringComparer.Ordinal);
        var best = 0;
        for (var k = 0; k < classes.Count; k++)
        {
            probabilities[classes[k]] = output[k];
            best = output[k] > output[best] ? k : best;
        }

        return new RowPrediction(JsonSerializer.SerializeToElement(classes[best]), probabilities);
    }

    private static bool SetMissing(RowBuffer row, int feature)
    {
        row.SetMissing(feature);
        return true;
    }
}
