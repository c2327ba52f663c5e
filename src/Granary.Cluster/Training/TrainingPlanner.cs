using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Granary.Client;
using Granary.Client.Models;
using Granary.Cluster.Datasets;
using Granary.Cluster.Jobs;
using Granary.Core.Features;
using Granary.Core.Linear;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Training;

/// <summary>
/// Turns a validated training spec into a <see cref="TrainingPlan"/>: the feature encoding comes from the
/// dataset's profile (means and standard deviations for standardisation and imputation, frequent levels for
/// one-hot encoding, the label's classes), and the chunk lists from the metadata store.
/// </summary>
public sealed class TrainingPlanner(IMetadataStore store, IGrainFactory grains)
{
    public async Task<(TrainingPlan Plan, FeatureSpec Features)> PlanAsync(TrainJobSpec spec, CancellationToken cancellationToken)
    {
        var dataset = Parse(spec.Dataset);
        var profile = await ProfileAsync(dataset);
        var columns = profile.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var numeric = new List<NumericFeature>();
        var categorical = new List<CategoricalFeature>();
        foreach (var name in spec.Features ?? [])
        {
            var column = columns[name];
            switch (column.Type)
            {
                case "numeric":
                    numeric.Add(new NumericFeature(name, column.Mean ?? 0, column.Std ?? 0, spec.Standardize));
                    break;
                case "boolean":
                    var (mean, std) = BooleanMoments(column);
                    numeric.Add(new NumericFeature(name, mean, std, spec.Standardize));
                    break;
                default:
                    var levels = (column.TopValues ?? []).Take(spec.MaxCategories).Select(t => t.Value).ToArray();
                    categorical.Add(new CategoricalFeature(name, levels));
                    break;
            }
        }

        var objective = spec.Algorithm switch
        {
            "linear" => LinearObjective.Squared,
            "logistic" => LinearObjective.Logistic,
            _ => LinearObjective.Softmax,
        };
        var label = columns[spec.Label];
        var classes = objective == LinearObjective.Squared ? null : Classes(label, objective);
        var features = new FeatureSpec
        {
            Numeric = numeric,
            Categorical = categorical,
            LabelColumn = spec.Label,
            LabelKind = classes is null ? LabelKind.Regression : LabelKind.Classification,
            Classes = classes,
            ClassWeights = classes is null || spec.ClassWeights is null ? null : ClassWeights(classes, spec.ClassWeights),
        };

        var specJson = JsonSerializer.Serialize(features, GranaryJson.Options);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(specJson)))[..16];
        var trainChunks = await ChunksAsync(dataset, cancellationToken);
        var validationChunks = spec.Validation?.Dataset is { } other ? await ChunksAsync(Parse(other), cancellationToken) : [];
        var plan = new TrainingPlan(
            specJson,
            key,
            (int)objective,
            classes?.Length ?? 1,
            features.Width,
            spec.L1,
            spec.L2,
            spec.FitIntercept,
            spec.MaxIterations,
            spec.Tolerance,
            trainChunks,
            validationChunks,
            spec.Validation?.Fraction ?? 0,
            spec.Validation?.Seed ?? 42);
        return (plan, features);
    }

    private async Task<DatasetProfile> ProfileAsync(DatasetRef dataset)
    {
        var json = await DatasetProfiles.GetJsonAsync(grains, dataset.Name, dataset.Version!.Value);
        return JsonSerializer.Deserialize<DatasetProfile>(json, GranaryJson.Options)
            ?? throw new InvalidDataException($"The profile of {dataset} is empty.");
    }

    private async Task<string[]> ChunksAsync(DatasetRef dataset, CancellationToken cancellationToken)
    {
        var chunks = await store.ListChunksAsync(dataset.Name, dataset.Version!.Value, cancellationToken);
        return chunks.Count == 0
            ? throw new JobFailedException("dataset_not_found", $"Dataset {dataset} has no data (was it deleted?).")
            : chunks.Select(c => c.Path).ToArray();
    }

    private static DatasetRef Parse(string text) =>
        DatasetRef.TryParse(text, out var reference) && reference.Version is not null
            ? reference
            : throw new JobFailedException("invalid_spec", $"The job's dataset '{text}' is not pinned to a version.");

    private static (double Mean, double Std) BooleanMoments(ColumnProfile column)
    {
        var trues = double.Parse(column.Extra?.GetValueOrDefault("trueCount") ?? "0", CultureInfo.InvariantCulture);
        var falses = double.Parse(column.Extra?.GetValueOrDefault("falseCount") ?? "0", CultureInfo.InvariantCulture);
        var n = trues + falses;
        var p = n > 0 ? trues / n : 0;
        return (p, Math.Sqrt(p * (1 - p)));
    }

    /// <summary>
    /// The label's classes, in a fixed order: false/true for booleans; the integers min..max for numeric
    /// labels; the levels sorted ordinally for strings. For logistic the second class is the positive one.
    /// </summary>
    private static string[] Classes(ColumnProfile label, LinearObjective objective)
    {
        string[] classes;
        switch (label.Type)
        {
            case "boolean":
                classes = ["false", "true"];
                break;
            case "numeric":
                if (label.Min is not { } min || label.Max is not { } max || min != Math.Floor(min) || max != Math.Floor(max) || max - min > 1000 ||
                    label.DistinctRelativeError != 0 || label.Distinct != (long)(max - min) + 1)
                {
                    throw new JobFailedException("invalid_label",
                        $"A numeric label for classification must hold consecutive integers (e.g. 0/1 or 0..K-1); '{label.Name}' has {label.Distinct} distinct values between {label.Min} and {label.Max}.");
                }

                classes = Enumerable.Range((int)min, (int)(max - min) + 1).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
                break;
            default:
                var levels = label.TopValues ?? [];
                if (label.DistinctRelativeError != 0 || levels.Count != label.Distinct || levels.Any(l => !l.Exact))
                {
                    throw new JobFailedException("invalid_label",
                        $"The label '{label.Name}' has about {label.Distinct} classes; classification supports up to {levels.Count} string classes.");
                }

                classes = levels.Select(l => l.Value).Order(StringComparer.Ordinal).ToArray();
                break;
        }

        if (objective == LinearObjective.Logistic && classes.Length != 2)
        {
            throw new JobFailedException("invalid_label", $"logistic regression needs exactly 2 classes; '{label.Name}' has {classes.Length}. Use softmax.");
        }

        return classes.Length < 2
            ? throw new JobFailedException("invalid_label", $"The label '{label.Name}' has a single class.")
            : classes;
    }

    private static double[] ClassWeights(string[] classes, IReadOnlyDictionary<string, double> weights)
    {
        var unknown = weights.Keys.Where(k => !classes.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new JobFailedException("invalid_spec", $"classWeights names unknown classes: {string.Join(", ", unknown)} (classes: {string.Join(", ", classes)}).");
        }

        return classes.Select(c => weights.GetValueOrDefault(c, 1.0)).ToArray();
    }
}
