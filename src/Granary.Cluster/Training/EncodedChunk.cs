using Granary.Core.Linear;

namespace Granary.Cluster.Training;

/// <summary>A chunk's rows encoded for one feature spec and split: what training passes run over.</summary>
public sealed record EncodedChunk(DesignMatrix? Train, DesignMatrix? Validation, long DroppedRows)
{
    public long EstimateBytes() => Bytes(Train) + Bytes(Validation);

    private static long Bytes(DesignMatrix? x) =>
        x is null ? 0 : ((long)x.Rows * (x.Width + 1 + (x.Weights is null ? 0 : 1)) * sizeof(double));
}
