namespace Granary.Storage.Evaluations;

/// <summary>Stored evaluations, linked to the model versions they judged. Implemented by the SQL metadata stores.</summary>
public interface IEvaluationStore
{
    /// <summary>Saves an evaluation; saving the same id again (a retried job) keeps the first.</summary>
    Task SaveEvaluationAsync(EvaluationRecord evaluation, CancellationToken cancellationToken);

    Task<EvaluationRecord?> GetEvaluationAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ids of the evaluations that judged a model version, newest first.</summary>
    Task<IReadOnlyList<string>> ListEvaluationsOfAsync(string model, int version, CancellationToken cancellationToken);
}
