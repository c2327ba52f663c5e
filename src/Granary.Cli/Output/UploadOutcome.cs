using Granary.Client.Models;

namespace Granary.Cli.Output;

/// <summary>The stored version plus what the transfer took, for the summary line.</summary>
internal sealed record UploadOutcome(DatasetVersionInfo Version, long BytesSent, TimeSpan Elapsed);
