using System.Runtime.CompilerServices;
using Granary.Core.Data;
using Granary.Core.Ingest.Json;

namespace Granary.Core.Ingest;

/// <summary>
/// Streaming NDJSON reader: one JSON object per line, keys are columns. The union of keys in the first
/// <see cref="IngestOptions.InferenceRows"/> records defines the columns and their types (same rules as
/// CSV: JSON numbers and booleans keep their kind, strings are inferred as text); a later unknown key is an
/// error. Absent keys and null are missing values.
/// </summary>
public sealed class NdJsonTabularReader : ITabularReader
{
    private const int BlockRows = 8_192;

    public async IAsyncEnumerable<Frame> ReadAsync(
        Stream input,
        IngestOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        using var lines = new NdJsonLineReader(input);
        var parser = new NdJsonRecordParser(options);

        // Inference window: records are parsed once to learn keys and types, and kept to be converted after.
        var held = new List<(byte[] Line, long Number)>();
        var ended = false;
        while (held.Count < options.InferenceRows)
        {
            if (!await lines.NextAsync(cancellationToken))
            {
                ended = true;
                break;
            }

            if (IsBlank(lines.Line.Span))
            {
                continue;
            }

            parser.Parse(lines.Line.Span, lines.LineNumber, null, 0);
            held.Add((lines.Line.ToArray(), lines.LineNumber));
        }

        if (held.Count == 0)
        {
            throw new DataFormatException(DataFormatErrors.EmptyBody, "The body is empty.", 1, 1);
        }

        ColumnLayout.ValidateOverrides(parser.Names, options);
        var layout = options.ExpectedSchema is null
            ? ColumnLayout.FromInference(parser.Names, parser.Inferred, options)
            : ColumnLayout.FromExpected(parser.Names, options.ExpectedSchema);
        parser.Freeze(layout);
        var assembler = new FrameAssembler(layout.Schema, options.ChunkRows);
        var block = NewBlock(layout.Schema);
        var rows = 0;

        foreach (var (line, number) in held)
        {
            parser.Parse(line, number, block, rows++);
            if (rows == BlockRows)
            {
                foreach (var frame in assembler.Append(block, rows))
                {
                    yield return frame;
                }

                (block, rows) = (NewBlock(layout.Schema), 0);
                parser.ResetInterners();
            }
        }

        held.Clear();
        while (!ended && await lines.NextAsync(cancellationToken))
        {
            if (IsBlank(lines.Line.Span))
            {
                continue;
            }

            parser.Parse(lines.Line.Span, lines.LineNumber, block, rows++);
            if (rows == BlockRows)
            {
                foreach (var frame in assembler.Append(block, rows))
                {
                    yield return frame;
                }

                (block, rows) = (NewBlock(layout.Schema), 0);
                parser.ResetInterners();
            }
        }

        foreach (var frame in assembler.Append(block, rows))
        {
            yield return frame;
        }

        var last = assembler.Flush();
        if (last is not null)
        {
            yield return last;
        }
    }

    private static ColumnBuffer[] NewBlock(DatasetSchema schema) =>
        schema.Columns.Select(c => ColumnBuffer.Rent(c.Type, BlockRows)).ToArray();

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;
}
