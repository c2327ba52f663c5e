using System.Runtime.CompilerServices;
using Granary.Core.Data;
using Granary.Core.Ingest;
using Parquet;
using Parquet.Schema;

namespace Granary.Storage.Parquet;

/// <summary>
/// Reads an uploaded Parquet file: flat columns of integer, floating, decimal, boolean, string, date or
/// timestamp type, re-chunked to <see cref="IngestOptions.ChunkRows"/>. Parquet's footer is at the end, so a
/// non-seekable body is spooled to a temporary file first (not memory: uploads can be large).
/// Column types come from the file; an override or append schema must agree with them.
/// </summary>
public sealed class ParquetTabularReader : ITabularReader
{
    public async IAsyncEnumerable<Frame> ReadAsync(
        Stream input,
        IngestOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        string? spool = null;
        var stream = input;
        try
        {
            if (!input.CanSeek)
            {
                spool = Path.GetTempFileName();
                stream = new FileStream(spool, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await input.CopyToAsync(stream, 1 << 20, cancellationToken);
                stream.Position = 0;
            }

            if (stream.Length - stream.Position == 0)
            {
                throw new DataFormatException(DataFormatErrors.EmptyBody, "The body is empty.");
            }

            await using var reader = await OpenAsync(stream, cancellationToken);
            var (fields, layout) = Resolve(reader, options);
            var assembler = new FrameAssembler(layout.Schema, options.ChunkRows);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var (block, rows) = await ReadGroupAsync(reader, g, fields, layout, cancellationToken);
                foreach (var frame in assembler.Append(block, rows))
                {
                    yield return frame;
                }
            }

            if (assembler.TotalRows == 0)
            {
                throw new DataFormatException(DataFormatErrors.NoRows, "The Parquet file has no rows.");
            }

            var last = assembler.Flush();
            if (last is not null)
            {
                yield return last;
            }
        }
        finally
        {
            if (spool is not null)
            {
                if (!ReferenceEquals(stream, input))
                {
                    await stream.DisposeAsync();
                }

                File.Delete(spool);
            }
        }
    }

    private static async Task<ParquetReader> OpenAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, null, true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DataFormatException(DataFormatErrors.InvalidParquet, $"The body is not a readable Parquet file: {e.Message}");
        }
    }

    private static (DataField[] Fields, ColumnLayout Layout) Resolve(ParquetReader reader, IngestOptions options)
    {
        foreach (var field in reader.Schema.Fields)
        {
            if (field is not DataField)
            {
                throw new DataFormatException(
                    DataFormatErrors.InvalidParquet, $"Column '{field.Name}' is nested ({field.SchemaType}); only flat columns are supported.", field: field.Name);
            }
        }

        var fields = reader.Schema.GetDataFields();
        if (fields.Length > options.MaxColumns)
        {
            throw new DataFormatException(DataFormatErrors.TooManyColumns, $"The file has {fields.Length} columns; at most {options.MaxColumns} are allowed.");
        }

        var types = new ColumnType[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            types[i] = ParquetColumnReader.MapType(fields[i]) ?? throw new DataFormatException(
                DataFormatErrors.InvalidParquet,
                $"Column '{fields[i].Name}' has Parquet type {fields[i].ClrType.Name}{(fields[i].IsArray ? "[]" : string.Empty)}, which Granary cannot store.",
                field: fields[i].Name);
        }

        var names = fields.Select(f => f.Name).ToArray();
        ColumnLayout.ValidateOverrides(names, options);
        var layout = options.ExpectedSchema is null
            ? ColumnLayout.FromInference(names, i => types[i], options)
            : ColumnLayout.FromExpected(names, options.ExpectedSchema);
        for (var c = 0; c < layout.Schema.Columns.Count; c++)
        {
            var column = layout.Schema.Columns[c];
            var source = types[layout.OutputToSource[c]];
            if (column.Type != source)
            {
                throw new DataFormatException(
                    DataFormatErrors.TypeMismatch,
                    $"Column '{column.Name}' is {source.ToString().ToLowerInvariant()} in the Parquet file, not {column.Type.ToString().ToLowerInvariant()}; Parquet columns keep their stored type.",
                    field: column.Name);
            }
        }

        return (fields, layout);
    }

    private static async Task<(ColumnBuffer[] Block, int Rows)> ReadGroupAsync(
        ParquetReader reader, int index, DataField[] fields, ColumnLayout layout, CancellationToken cancellationToken)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(index);
            var rows = checked((int)group.RowCount);
            var block = new ColumnBuffer[layout.Schema.Columns.Count];
            for (var c = 0; c < block.Length; c++)
            {
                block[c] = ColumnBuffer.Allocate(layout.Schema.Columns[c].Type, rows);
                await ParquetColumnReader.ReadAsync(group, fields[layout.OutputToSource[c]], block[c], 0, rows, cancellationToken);
            }

            return (block, rows);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DataFormatException)
        {
            throw new DataFormatException(
                DataFormatErrors.InvalidParquet, $"Row group {index} could not be read: {e.Message}", line: null);
        }
    }
}
