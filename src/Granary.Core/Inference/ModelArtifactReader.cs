using System.Text.Json;
using Granary.Core.Features;
using Granary.Core.Linear;

namespace Granary.Core.Inference;

/// <summary>
/// Reads a <c>granary.linear/1</c> model document (docs/models.md) into a <see cref="LinearPredictor"/>,
/// from the encoding and the standardised coefficients. Anything missing, malformed or inconsistent is an
/// <see cref="InvalidDataException"/> that names the field.
/// </summary>
internal static class ModelArtifactReader
{
    public const string Format = "granary.linear/1";

    private static readonly JsonSerializerOptions SpecOptions = new() { PropertyNameCaseInsensitive = true };

    public static LinearPredictor Read(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model artifact is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"The model artifact must be a JSON object, not {root.ValueKind}.");
            }

            var format = String(root, "format");
            if (format != Format)
            {
                throw new InvalidDataException($"Unsupported model format '{format}'; expected '{Format}'.");
            }

            var objective = String(root, "objective") switch
            {
                "squared" => LinearObjective.Squared,
                "logistic" => LinearObjective.Logistic,
                "softmax" => LinearObjective.Softmax,
                var other => throw new InvalidDataException($"Unknown objective '{other}'; expected squared, logistic or softmax."),
            };

            var spec = ReadSpec(Required(root, "features"));
            var classes = root.TryGetProperty("classes", out var c) && c.ValueKind == JsonValueKind.Array
                ? Strings(c, "classes")
                : spec.Classes;
            var coefficients = Numbers(Required(root, "standardizedCoefficients"), "standardizedCoefficients");
            if (root.TryGetProperty("featureNames", out var names) && names.ValueKind != JsonValueKind.Null)
            {
                CheckNames(Strings(names, "featureNames"), spec.FeatureNames);
            }

            try
            {
                return new LinearPredictor(spec, objective, coefficients, classes);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The model artifact is inconsistent: {e.Message}", e);
            }
        }
    }

    private static FeatureSpec ReadSpec(JsonElement element)
    {
        FeatureSpec? spec;
        try
        {
            spec = element.Deserialize<FeatureSpec>(SpecOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model artifact's 'features' is not a valid feature encoding: {e.Message}", e);
        }

        if (spec is null || spec.Numeric is null || spec.Categorical is null)
        {
            throw new InvalidDataException("The model artifact's 'features' is missing its numeric or categorical list.");
        }

        foreach (var numeric in spec.Numeric)
        {
            if (numeric?.Column is null)
            {
                throw new InvalidDataException("A numeric feature in the model artifact has no column.");
            }
        }

        foreach (var categorical in spec.Categorical)
        {
            if (categorical?.Column is null || categorical.Levels is null || categorical.Levels.Any(l => l is null))
            {
                throw new InvalidDataException($"Categorical feature '{categorical?.Column}' in the model artifact needs a column and non-null levels.");
            }
        }

        return spec;
    }

    private static void CheckNames(string[] names, IReadOnlyList<string> expected)
    {
        if (names.Length != expected.Count)
        {
            throw new InvalidDataException(
                $"The model artifact lists {names.Length} feature names but its encoding has {expected.Count} columns.");
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (names[i] != expected[i])
            {
                throw new InvalidDataException(
                    $"Feature name {i} is '{names[i]}' but the encoding's column {i} is '{expected[i]}'.");
            }
        }
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidDataException($"The model artifact has no '{name}'.");

    private static string String(JsonElement root, string name)
    {
        var value = Required(root, name);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"'{name}' must be a string, not {value.ValueKind}.");
    }

    private static string[] Strings(JsonElement array, string name)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"'{name}' must be an array of strings.");
        }

        var result = new string[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            result[i++] = item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new InvalidDataException($"'{name}'[{i - 1}] must be a string, not {item.ValueKind}.");
        }

        return result;
    }

    private static double[] Numbers(JsonElement array, string name)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"'{name}' must be an array of numbers.");
        }

        var result = new double[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out result[i]))
            {
                throw new InvalidDataException($"'{name}'[{i}] must be a number, not {item.ValueKind}.");
            }

            i++;
        }

        return result;
    }
}
