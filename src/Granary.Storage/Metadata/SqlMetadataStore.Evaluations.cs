using Granary.Storage.Evaluations;

namespace Granary.Storage.Metadata;

/// <summary>Evaluations and their links to model versions.</summary>
public abstract partial class SqlMetadataStore : IEvaluationStore
{
    public async Task SaveEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var inserted = await ExecuteAsync(connection, transaction,
            "INSERT INTO evaluations (id, job_id, dataset, created_at) VALUES (@id, @job, @dataset, @now) ON CONFLICT (id) DO NOTHING",
            cancellationToken, ("id", evaluation.Id), ("job", (object?)evaluation.JobId ?? DBNull.Value), ("dataset", evaluation.Dataset), ("now", ToMicros(evaluation.CreatedAt)));
        if (inserted == 1)
        {
            var position = 0;
            foreach (var model in evaluation.Models)
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO evaluation_models (evaluation_id, position, model, version, report_json) VALUES (@id, @position, @model, @version, @report)",
                    cancellationToken, ("id", evaluation.Id), ("position", position++), ("model", model.Model), ("version", model.Version), ("report", model.ReportJson));
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<EvaluationRecord?> GetEvaluationAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        string? jobId, dataset;
        long created;
        await using (var command = Command(connection, null, "SELECT job_id, dataset, created_at FROM evaluations WHERE id = @id", ("id", id)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            jobId = reader.IsDBNull(0) ? null : reader.GetString(0);
            dataset = reader.GetString(1);
            created = reader.GetInt64(2);
        }

        var models = new List<EvaluatedModel>();
        await using (var command = Command(connection, null,
            "SELECT model, version, report_json FROM evaluation_models WHERE evaluation_id = @id ORDER BY position", ("id", id)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                models.Add(new EvaluatedModel(reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));
            }
        }

        return new EvaluationRecord(id, jobId, dataset, models, FromMicros(created));
    }

    public async Task<IReadOnlyList<string>> ListEvaluationsOfAsync(string model, int version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT e.id FROM evaluations e JOIN evaluation_models m ON m.evaluation_id = e.id WHERE m.model = @model AND m.version = @version ORDER BY e.created_at DESC, e.id DESC",
            ("model", model), ("version", version));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
