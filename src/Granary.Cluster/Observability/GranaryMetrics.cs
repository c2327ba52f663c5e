using System.Diagnostics.Metrics;

namespace Granary.Cluster.Observability;

/// <summary>
/// Granary's own instruments (meter <c>Granary</c>), exported with ASP.NET Core's at <c>/metrics</c> in
/// Prometheus format: what was ingested, which jobs ended how, how many rows were predicted.
/// </summary>
public sealed class GranaryMetrics
{
    public const string MeterName = "Granary";

    private readonly Counter<long> _ingestedRows;
    private readonly Counter<long> _ingestedBytes;
    private readonly Counter<long> _jobsFinished;
    private readonly Counter<long> _predictedRows;

    public GranaryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _ingestedRows = meter.CreateCounter<long>("granary.ingest.rows", "{row}", "Rows committed by uploads and appends.");
        _ingestedBytes = meter.CreateCounter<long>("granary.ingest.bytes", "By", "Bytes of chunk files committed.");
        _jobsFinished = meter.CreateCounter<long>("granary.jobs.finished", "{job}", "Jobs that ended, by type and final state.");
        _predictedRows = meter.CreateCounter<long>("granary.predict.rows", "{row}", "Rows answered by the predict endpoints.");
    }

    public void Ingested(string kind, long rows, long bytes)
    {
        _ingestedRows.Add(rows, new KeyValuePair<string, object?>("kind", kind));
        _ingestedBytes.Add(bytes, new KeyValuePair<string, object?>("kind", kind));
    }

    public void JobFinished(string type, string state) =>
        _jobsFinished.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("state", state));

    public void Predicted(long rows) => _predictedRows.Add(rows);
}
