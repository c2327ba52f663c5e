namespace Granary.Storage.Metadata;

/// <summary>A commit that lost a race or no longer fits the stored state. <see cref="Code"/> is stable.</summary>
public sealed class MetadataConflictException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
