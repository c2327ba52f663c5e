using Granary.Client.Models;
using Granary.Cluster.Jobs;
using Granary.Cluster.Serving;
using Granary.Cluster.Training;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Evaluation;

/// <summary>Checks an evaluation before it is queued and pins every reference (dataset and models) to a version.</summary>
public sealed class EvaluateSpecValidator(IMetadataStore datasets, ModelResolver models)
{
    public async Task<EvaluateJobSpec> ValidateAsync(EvaluateJobSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Models is not { Count: > 0 and <= 20 })
        {
            throw new JobFailedException("invalid_spec", "models must name 1 to 20 model references.");
        }

        if (!DatasetRef.TryParse(spec.Dataset, out var dataset))
        {
            throw new JobFailedException("invalid_name", $"Invalid dataset reference '{spec.Dataset}': use name or name@version.");
        }

        var version = await datasets.GetVersionAsync(dataset.Name, dataset.Version, cancellationToken)
            ?? throw new JobFailedException("dataset_not_found", $"Dataset '{dataset}' does not exist.");
        var pinned = new List<string>();
        string? label = null;
        foreach (var text in spec.Models)
        {
            if (!ModelRef.TryParse(text, out var reference))
            {
                throw new JobFailedException("invalid_name", $"Invalid model reference '{text}'.");
            }

            var (model, error) = await models.ResolveAsync(reference, cancellationToken);
            if (model is null)
            {
                throw new JobFailedException(error ?? "model_not_found", $"Model '{reference}' does not resolve ({error}).");
            }

            var features = System.Text.Json.JsonDocument.Parse(model.FeaturesJson).RootElement;
            var modelLabel = features.TryGetProperty("labelColumn", out var l) ? l.GetString() : features.GetProperty("LabelColumn").GetString();
            if (label is not null && modelLabel != label)
            {
                throw new JobFailedException("invalid_spec", $"Models compared side by side must predict the same label; '{reference}' predicts '{modelLabel}', not '{label}'.");
            }

            label = modelLabel;
            if (version.Schema.IndexOf(label!) < 0)
            {
                throw new JobFailedException("unknown_column", $"Dataset '{dataset.Name}@{version.Version}' has no label column '{label}'.");
            }

            pinned.Add($"{model.Name}@{model.Version}");
        }

        return spec with { Dataset = $"{version.Name}@{version.Version}", Models = pinned };
    }
}
