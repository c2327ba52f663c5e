using Granary.Client.Models;
using Granary.Cluster.Jobs;
using Granary.Cluster.Serving;
using Granary.Cluster.Training;
using Granary.Core;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Evaluation;

/// <summary>Checks a batch-scoring job before it is queued and pins its model and dataset to versions.</summary>
public sealed class PredictSpecValidator(IMetadataStore datasets, ModelResolver models, PredictorCache predictors)
{
    public async Task<PredictJobSpec> ValidateAsync(PredictJobSpec spec, CancellationToken cancellationToken)
    {
        if (!ResourceNames.IsValid(spec.Output))
        {
            throw new JobFailedException("invalid_name", $"Invalid output dataset name '{spec.Output}'.");
        }

        if (!DatasetRef.TryParse(spec.Dataset, out var dataset))
        {
            throw new JobFailedException("invalid_name", $"Invalid dataset reference '{spec.Dataset}'.");
        }

        if (dataset.Name == spec.Output)
        {
            throw new JobFailedException("invalid_spec", "The output must be a different dataset from the input.");
        }

        var version = await datasets.GetVersionAsync(dataset.Name, dataset.Version, cancellationToken)
            ?? throw new JobFailedException("dataset_not_found", $"Dataset '{dataset}' does not exist.");
        if (!ModelRef.TryParse(spec.Model, out var reference))
        {
            throw new JobFailedException("invalid_name", $"Invalid model reference '{spec.Model}'.");
        }

        var (model, error) = await models.ResolveAsync(reference, cancellationToken);
        if (model is null)
        {
            throw new JobFailedException(error ?? "model_not_found", $"Model '{reference}' does not resolve ({error}).");
        }

        var output = PredictJobRunner.OutputSchema(version.Schema, await predictors.GetAsync(model.ArtifactPath, cancellationToken));
        var clash = output.Columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new JobFailedException("invalid_spec", $"Dataset '{dataset.Name}' already has a column '{clash.Key}', which scoring would add.");
        }

        return spec with { Dataset = $"{version.Name}@{version.Version}", Model = $"{model.Name}@{model.Version}" };
    }
}
