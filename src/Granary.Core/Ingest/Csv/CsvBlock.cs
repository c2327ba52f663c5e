namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Whole CSV rows as raw UTF-8 bytes in a pooled buffer. <see cref="StartLine"/> is the physical line of the
/// first byte, so errors found while parsing the block in parallel can still be located exactly.
/// </summary>
internal sealed class CsvBlock(byte[] buffer, int length, long startLine)
{
    public byte[] Buffer { get; } = buffer;

    public int Length { get; } = length;

    public long StartLine { get; } = startLine;

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public DataFormatException Error(string code, string message, int offset, string? field = null)
    {
        var (line, column) = TextPosition.Locate(Span, StartLine, offset);
        return new DataFormatException(code, message, line, column, field);
    }
}
