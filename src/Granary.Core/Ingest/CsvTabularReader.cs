using System.Runtime.CompilerServices;
using Granary.Core.Data;
using Granary.Core.Ingest.Csv;

namespace Granary.Core.Ingest;

/// <summary>
/// Streaming CSV reader. One stage cuts the input into large blocks of whole rows (quote-aware, tracking
/// line numbers); blocks are tokenised and converted to typed columns in parallel on the thread pool, then
/// assembled in input order into frames of <see cref="IngestOptions.ChunkRows"/> rows. At most a few blocks
/// are in flight, so memory does not depend on the input size.
/// </summary>
public sealed class CsvTabularReader : ITabularReader
{
    /// <summary>
    /// Default block size: large enough that per-block costs vanish, small enough that a block's text and
    /// field table stay cache-friendly and the work spreads evenly over the cores (1-4 MiB measured alike).
    /// </summary>
    public const int DefaultBlockSize = 1024 * 1024;

    private readonly int _blockSize;
    private readonly int _maxInFlight;
    private readonly int _maxRowBytes;

    public CsvTabularReader()
        : this(DefaultBlockSize)
    {
    }

    /// <summary>Tests use tiny blocks to force rows, quotes and newlines across block boundaries.</summary>
    internal CsvTabularReader(int blockSize, int? maxInFlight = null, int maxRowBytes = CsvBlockSplitter.DefaultMaxRowBytes)
    {
        _blockSize = blockSize;
        _maxRowBytes = maxRowBytes;
        _maxInFlight = maxInFlight ?? Math.Max(2, Environment.ProcessorCount + 1);
    }

    public async IAsyncEnumerable<Frame> ReadAsync(
        Stream input,
        IngestOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        using var splitter = new CsvBlockSplitter(input, _blockSize, _maxRowBytes);
        var pending = new Queue<Task<(ColumnBuffer[] Columns, int Rows)>>();
        var held = new List<CsvFieldTable>();
        try
        {
            var header = await splitter.ReadHeaderAsync(cancellationToken);
            var delimiter = options.Delimiter is { } d ? (byte)d : CsvHeaderParser.DetectDelimiter(header.Bytes);
            var names = CsvHeaderParser.Parse(header, delimiter, options.MaxColumns);
            ColumnLayout.ValidateOverrides(names, options);
            var tokenizer = new CsvTokenizer(delimiter, names.Length);
            var layout = options.ExpectedSchema is null ? null : ColumnLayout.FromExpected(names, options.ExpectedSchema);
            var inferrer = new TypeInferrer(names.Length);
            long inferredRows = 0;
            CsvColumnConverter? converter = layout is null ? null : new CsvColumnConverter(layout, options);
            FrameAssembler? assembler = layout is null ? null : new FrameAssembler(layout.Schema, options.ChunkRows);

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var block = await splitter.NextAsync(cancellationToken);
                if (block is null)
                {
                    break;
                }

                if (converter is null)
                {
                    // Inference needs the first rows in order, so these blocks are tokenised here and kept.
                    var table = tokenizer.Tokenize(block);
                    held.Add(table);
                    inferredRows += Observe(inferrer, table, options.InferenceRows - inferredRows);
                    if (inferredRows < options.InferenceRows)
                    {
                        continue;
                    }

                    layout = ColumnLayout.FromInference(names, inferrer.Result, options);
                    converter = new CsvColumnConverter(layout, options);
                    assembler = new FrameAssembler(layout.Schema, options.ChunkRows);
                    StartHeld(held, converter, pending);
                }
                else
                {
                    var c = converter;
                    pending.Enqueue(Task.Run(() => Process(tokenizer, c, block), cancellationToken));
                }

                while (pending.Count >= _maxInFlight)
                {
                    var (columns, rows) = await pending.Dequeue();
                    foreach (var frame in assembler!.Append(columns, rows))
                    {
                        yield return frame;
                    }
                }
            }

            if (converter is null)
            {
                layout = ColumnLayout.FromInference(names, inferrer.Result, options);
                converter = new CsvColumnConverter(layout, options);
                assembler = new FrameAssembler(layout.Schema, options.ChunkRows);
                StartHeld(held, converter, pending);
            }

            while (pending.Count > 0)
            {
                var (columns, rows) = await pending.Dequeue();
                foreach (var frame in assembler!.Append(columns, rows))
                {
                    yield return frame;
                }
            }

            if (assembler!.TotalRows == 0)
            {
                throw new DataFormatException(DataFormatErrors.NoRows, "The file has a header but no rows.", header.Line + 1, 1);
            }

            var last = assembler.Flush();
            if (last is not null)
            {
                yield return last;
            }
        }
        finally
        {
            foreach (var table in held)
            {
                table.Dispose();
            }

            // Let abandoned workers finish so they stop touching pooled buffers; their errors are moot now.
            foreach (var task in pending)
            {
                try
                {
                    var (columns, _) = await task;
                    foreach (var column in columns)
                    {
                        column.Return();
                    }
                }
                catch (Exception)
                {
                    // Already failing or cancelled: the first error is the one reported.
                }
            }
        }
    }

    private static long Observe(TypeInferrer inferrer, CsvFieldTable table, long budget)
    {
        var rows = (int)Math.Min(table.Rows, budget);
        byte[]? scratch = null;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < table.Columns; c++)
            {
                var index = (r * table.Columns) + c;
                var value = table.Value(index, ref scratch);
                var bad = TextPosition.FindInvalidUtf8(value);
                if (bad >= 0)
                {
                    var offset = (table.Lengths[index] & CsvFieldTable.EscapedFlag) == 0 ? table.Starts[index] + bad : table.ErrorOffset(index);
                    throw table.Block.Error(DataFormatErrors.InvalidUtf8, "Invalid UTF-8", offset);
                }

                inferrer.Observe(c, value);
            }
        }

        return rows;
    }

    private static void StartHeld(
        List<CsvFieldTable> held,
        CsvColumnConverter converter,
        Queue<Task<(ColumnBuffer[] Columns, int Rows)>> pending)
    {
        foreach (var table in held)
        {
            var t = table;
            pending.Enqueue(Task.Run(() =>
            {
                using (t)
                {
                    return (converter.Convert(t), t.Rows);
                }
            }));
        }

        held.Clear();
    }

    private static (ColumnBuffer[] Columns, int Rows) Process(CsvTokenizer tokenizer, CsvColumnConverter converter, CsvBlock block)
    {
        // Tokenize returns the block's buffer to the pool itself when it fails.
        var table = tokenizer.Tokenize(block);
        using (table)
        {
            return (converter.Convert(table), table.Rows);
        }
    }
}
