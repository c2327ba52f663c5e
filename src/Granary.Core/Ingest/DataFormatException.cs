namespace Granary.Core.Ingest;

/// <summary>
/// Input that cannot be read as a dataset. <see cref="Code"/> is stable and becomes the problem+json
/// <c>code</c>; <see cref="Line"/> and <see cref="Column"/> (both 1-based) locate the fault in a text file.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string code, string message, long? line = null, long? column = null, string? field = null)
        : base(message)
    {
        Code = code;
        Line = line;
        Column = column;
        Field = field;
    }

    public string Code { get; }

    /// <summary>1-based physical line in the input (or record number for Parquet), when known.</summary>
    public long? Line { get; }

    /// <summary>1-based character position within the line, when known.</summary>
    public long? Column { get; }

    /// <summary>The dataset column concerned, when known.</summary>
    public string? Field { get; }
}
