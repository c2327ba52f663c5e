using Granary.Cluster.Jobs;
using Granary.Core.Ingest;
using Granary.Storage.Metadata;

namespace Granary.Server.Tests.Jobs;

public sealed class JobFailurePolicyTests
{
    [Fact]
    public void Decide_SubmissionFault_FailsAtOnceWithItsCode()
    {
        var decision = JobFailurePolicy.Decide(1, 3, cancelRequested: false, leaseLost: false, new JobFailedException("invalid_label", "two classes needed"));
        Assert.Equal(new JobDecision.Fail("invalid_label", "two classes needed"), decision);
    }

    [Fact]
    public void Decide_DataFormatOrConflict_FailsWithTheirCodes()
    {
        Assert.Equal("type_mismatch", Assert.IsType<JobDecision.Fail>(JobFailurePolicy.Decide(1, 3, false, false, new DataFormatException("type_mismatch", "x"))).Code);
        Assert.Equal("schema_changed", Assert.IsType<JobDecision.Fail>(JobFailurePolicy.Decide(1, 3, false, false, new MetadataConflictException("schema_changed", "x"))).Code);
        Assert.Equal("invalid_spec", Assert.IsType<JobDecision.Fail>(JobFailurePolicy.Decide(1, 3, false, false, new ArgumentException("bad"))).Code);
    }

    [Fact]
    public void Decide_TransientBeforeLastAttempt_Retries()
    {
        var decision = JobFailurePolicy.Decide(2, 3, false, false, new TimeoutException("slow shard"));
        Assert.Equal("transient", Assert.IsType<JobDecision.Retry>(decision).Code);
    }

    [Fact]
    public void Decide_TransientOnLastAttempt_FailsRetriesExhausted()
    {
        var decision = JobFailurePolicy.Decide(3, 3, false, false, new IOException("disk"));
        var fail = Assert.IsType<JobDecision.Fail>(decision);
        Assert.Equal("retries_exhausted", fail.Code);
        Assert.Contains("disk", fail.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CancelRequested_CancelsOnlyForCancellation()
    {
        Assert.IsType<JobDecision.Cancel>(JobFailurePolicy.Decide(1, 3, cancelRequested: true, leaseLost: false, new OperationCanceledException()));
        Assert.IsType<JobDecision.Fail>(JobFailurePolicy.Decide(1, 3, cancelRequested: true, leaseLost: false, new JobFailedException("x", "y")));
    }

    [Fact]
    public void Decide_LeaseLost_AbandonsWhateverTheError()
    {
        Assert.IsType<JobDecision.Abandon>(JobFailurePolicy.Decide(3, 3, cancelRequested: true, leaseLost: true, new IOException("gone")));
    }
}
