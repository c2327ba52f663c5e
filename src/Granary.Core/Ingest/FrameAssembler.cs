using Granary.Core.Data;

namespace Granary.Core.Ingest;

/// <summary>Gathers parsed blocks, in input order, into frames of exactly ChunkRows rows (the last may be short).</summary>
internal sealed class FrameAssembler(DatasetSchema schema, int chunkRows)
{
    private readonly int _chunkRows = Math.Max(1, chunkRows);
    private ColumnBuffer[]? _current;
    private int _rows;

    public long TotalRows { get; private set; }

    /// <summary>Copies the block's rows in and returns the frames it completed; the block's buffers are returned to the pool.</summary>
    public List<Frame> Append(ColumnBuffer[] block, int rowCount)
    {
        var done = new List<Frame>();
        var offset = 0;
        try
        {
            while (offset < rowCount)
            {
                _current ??= schema.Columns.Select(c => ColumnBuffer.Allocate(c.Type, _chunkRows)).ToArray();
                var take = Math.Min(rowCount - offset, _chunkRows - _rows);
                for (var c = 0; c < block.Length; c++)
                {
                    block[c].CopyTo(_current[c], offset, _rows, take);
                }

                offset += take;
                _rows += take;
                TotalRows += take;
                if (_rows == _chunkRows)
                {
                    done.Add(Build());
                }
            }
        }
        finally
        {
            foreach (var column in block)
            {
                column.Return();
            }
        }

        return done;
    }

    /// <summary>The final, partly filled frame, or null when there is none.</summary>
    public Frame? Flush() => _rows > 0 ? Build() : null;

    private Frame Build()
    {
        var columns = new Column[schema.Columns.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = _current![c].ToColumn(schema.Columns[c].Name, _rows);
        }

        var frame = new Frame(schema, columns, _rows);
        _current = null;
        _rows = 0;
        return frame;
    }
}
