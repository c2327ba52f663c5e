using Granary.Client.Models;
using Granary.Cluster.Jobs;
using Granary.Core;
using Granary.Core.Data;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Training;

/// <summary>
/// Checks a training submission against the stored data before it is queued, and pins the dataset to a
/// concrete version so the job's lineage is fixed even if rows are appended meanwhile. Faults throw
/// <see cref="JobFailedException"/> with a stable code (the API answers them as 400/404).
/// </summary>
public sealed class TrainSpecValidator(IMetadataStore store)
{
    public static readonly IReadOnlyList<string> Algorithms = ["linear", "logistic", "softmax"];

    public async Task<TrainJobSpec> ValidateAsync(TrainJobSpec spec, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(spec.Model))
        {
            throw new JobFailedException("invalid_name", $"Invalid model name '{spec.Model}'.");
        }

        if (!Algorithms.Contains(spec.Algorithm))
        {
            throw new JobFailedException("invalid_spec", $"algorithm must be one of {string.Join(", ", Algorithms)}, not '{spec.Algorithm}'.");
        }

        Check(spec.L1 >= 0 && double.IsFinite(spec.L1), "l1 must be a finite number >= 0.");
        Check(spec.L2 >= 0 && double.IsFinite(spec.L2), "l2 must be a finite number >= 0.");
        Check(spec.MaxIterations is >= 1 and <= 100_000, "maxIterations must be between 1 and 100000.");
        Check(spec.Tolerance is > 0 and < 1, "tolerance must be in (0, 1).");
        Check(spec.MaxCategories is >= 1 and <= Core.Sketches.ColumnSketch.TopValueCount,
            $"maxCategories must be between 1 and {Core.Sketches.ColumnSketch.TopValueCount} (the levels a profile keeps).");
        Check(spec.ClassWeights is null || spec.ClassWeights.Values.All(w => w > 0 && double.IsFinite(w)), "classWeights must be positive numbers.");
        Check(spec.CrossValidation is null or { Folds: >= 2 and <= 20 }, "crossValidation.folds must be between 2 and 20.");
        if (spec.Validation is { } validation)
        {
            Check((validation.Fraction is null) != (validation.Dataset is null), "validation needs exactly one of fraction or dataset.");
            Check(validation.Fraction is null or (> 0 and < 1), "validation.fraction must be in (0, 1).");
        }

        var dataset = await ResolveAsync(spec.Dataset, cancellationToken);
        var schema = dataset.Schema;
        var label = schema.Columns.FirstOrDefault(c => c.Name == spec.Label)
            ?? throw new JobFailedException("unknown_column", $"Dataset '{dataset.Name}' has no column '{spec.Label}' to use as the label.");
        if (spec.Algorithm == "linear" && label.Type != ColumnType.Numeric)
        {
            throw new JobFailedException("invalid_spec", $"linear regression needs a numeric label; '{label.Name}' is {SchemaJson.TypeName(label.Type)}.");
        }

        if (label.Type == ColumnType.Timestamp)
        {
            throw new JobFailedException("invalid_spec", $"'{label.Name}' is a timestamp and cannot be a label.");
        }

        var features = spec.Features ?? schema.Columns.Where(c => c.Name != spec.Label && c.Type != ColumnType.Timestamp).Select(c => c.Name).ToList();
        Check(features.Count > 0, "There are no feature columns besides the label.");
        foreach (var feature in features)
        {
            var column = schema.Columns.FirstOrDefault(c => c.Name == feature)
                ?? throw new JobFailedException("unknown_column", $"Dataset '{dataset.Name}' has no column '{feature}'.");
            Check(column.Name != spec.Label, $"The label '{feature}' cannot also be a feature.");
            Check(column.Type != ColumnType.Timestamp, $"'{feature}' is a timestamp; timestamps are not features yet.");
        }

        var validationSpec = spec.Validation;
        if (validationSpec?.Dataset is { } validationDataset)
        {
            var resolved = await ResolveAsync(validationDataset, cancellationToken);
            foreach (var name in features.Append(spec.Label))
            {
                if (resolved.Schema.Columns.FirstOrDefault(c => c.Name == name) is not { } column || column.Type != schema.Columns.First(c => c.Name == name).Type)
                {
                    throw new JobFailedException("schema_mismatch", $"Validation dataset '{resolved.Name}' lacks column '{name}' of the training type.");
                }
            }

            validationSpec = validationSpec with { Dataset = $"{resolved.Name}@{resolved.Version}" };
        }

        return spec with { Dataset = $"{dataset.Name}@{dataset.Version}", Features = features, Validation = validationSpec };
    }

    private async Task<DatasetVersionRecord> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        if (!DatasetRef.TryParse(text, out var reference))
        {
            throw new JobFailedException("invalid_name", $"Invalid dataset reference '{text}': use name or name@version.");
        }

        return await store.GetVersionAsync(reference.Name, reference.Version, cancellationToken)
            ?? throw new JobFailedException("dataset_not_found", $"Dataset '{reference}' does not exist.");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new JobFailedException("invalid_spec", message);
        }
    }
}
