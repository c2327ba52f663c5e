using System.Text;
using System.Text.Json;
using Granary.Core.Data;

namespace Granary.Core.Ingest.Json;

/// <summary>
/// Walks one NDJSON record (a JSON object on one line). While inferring it discovers keys and feeds the
/// type inferrer; afterwards it writes each value into the current block's typed buffers.
/// </summary>
internal sealed class NdJsonRecordParser(IngestOptions options)
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly TypeInferrer _inferrer = new(Math.Max(options.MaxColumns, 1));
    private int[] _seen = new int[16];
    private int _stamp;
    private byte[] _scratch = new byte[256];
    private ColumnLayout? _layout;
    private int[] _sourceToOutput = [];
    private StringInterner[] _columnInterners = [];

    public IReadOnlyList<string> Names => _names;

    public ColumnLayout? Layout => _layout;

    public ColumnType Inferred(int column) => _inferrer.Result(column);

    /// <summary>Fixes the columns; later records may not introduce new keys.</summary>
    public void Freeze(ColumnLayout layout)
    {
        _layout = layout;
        _sourceToOutput = new int[_names.Count];
        for (var o = 0; o < layout.OutputToSource.Length; o++)
        {
            _sourceToOutput[layout.OutputToSource[o]] = o;
        }

        _columnInterners = layout.Schema.Columns.Select(_ => new StringInterner()).ToArray();
    }

    /// <summary>Starts a new block: interning is per block so its dictionaries stay small.</summary>
    public void ResetInterners()
    {
        for (var i = 0; i < _columnInterners.Length; i++)
        {
            _columnInterners[i] = new StringInterner();
        }
    }

    /// <summary>Parses the record; with <paramref name="block"/> null it only discovers keys and infers types.</summary>
    public void Parse(ReadOnlySpan<byte> line, long lineNumber, ColumnBuffer[]? block, int row)
    {
        var bad = TextPosition.FindInvalidUtf8(line);
        if (bad >= 0)
        {
            throw Error(DataFormatErrors.InvalidUtf8, "Invalid UTF-8", line, lineNumber, bad);
        }

        if (block is not null)
        {
            for (var c = 0; c < block.Length; c++)
            {
                SetMissing(block[c], row);
            }
        }

        _stamp++;
        var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(DataFormatErrors.InvalidJson, "Each line must be a JSON object", line, lineNumber, (int)reader.TokenStartIndex);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var keyOffset = (int)reader.TokenStartIndex;
                var name = reader.GetString()!;
                var column = Column(name, line, lineNumber, keyOffset);
                if (!reader.Read())
                {
                    break;
                }

                if (block is null)
                {
                    Observe(column, ref reader);
                }
                else
                {
                    Store(block, row, column, ref reader, line, lineNumber);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Error(DataFormatErrors.InvalidJson, "Unexpected content after the JSON object", line, lineNumber, (int)reader.TokenStartIndex);
            }
        }
        catch (JsonException e)
        {
            throw Error(DataFormatErrors.InvalidJson, $"Invalid JSON: {e.Message}", line, lineNumber, (int)(e.BytePositionInLine ?? 0));
        }
    }

    private int Column(string name, ReadOnlySpan<byte> line, long lineNumber, int offset)
    {
        if (!_index.TryGetValue(name, out var column))
        {
            if (_layout is not null)
            {
                throw Error(DataFormatErrors.UnknownColumn, $"Key '{name}' is not one of the columns found in the first rows", line, lineNumber, offset, name);
            }

            if (name.Length == 0)
            {
                throw Error(DataFormatErrors.EmptyColumnName, "A key is empty", line, lineNumber, offset);
            }

            if (_names.Count == options.MaxColumns)
            {
                throw Error(DataFormatErrors.TooManyColumns, $"More than {options.MaxColumns} distinct keys", line, lineNumber, offset, name);
            }

            column = _names.Count;
            _names.Add(name);
            _index.Add(name, column);
            if (_seen.Length <= column)
            {
                Array.Resize(ref _seen, _seen.Length * 2);
            }
        }

        if (_seen[column] == _stamp)
        {
            throw Error(DataFormatErrors.DuplicateColumn, $"Key '{name}' appears twice in this object", line, lineNumber, offset, name);
        }

        _seen[column] = _stamp;
        return column;
    }

    private void Observe(int column, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                _inferrer.ObserveKind(column, ColumnType.Numeric);
                break;
            case JsonTokenType.True or JsonTokenType.False:
                _inferrer.ObserveKind(column, ColumnType.Boolean);
                break;
            case JsonTokenType.String:
                _inferrer.Observe(column, Unescaped(ref reader));
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                _inferrer.ObserveString(column);
                break;
        }
    }

    private void Store(ColumnBuffer[] block, int row, int source, ref Utf8JsonReader reader, ReadOnlySpan<byte> line, long lineNumber)
    {
        var output = _sourceToOutput[source];
        var target = block[output];
        var start = (int)reader.TokenStartIndex;
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            return;
        }

        switch (target.Type)
        {
            case ColumnType.Numeric when token == JsonTokenType.Number && reader.TryGetDouble(out var d):
                target.Doubles![row] = d;
                return;
            case ColumnType.Numeric when token == JsonTokenType.String:
            {
                var text = Unescaped(ref reader);
                if (Utf8ValueParser.TryParseDouble(text, out var parsed))
                {
                    target.Doubles![row] = parsed;
                    return;
                }

                if (Utf8ValueParser.IsNumericMissing(text))
                {
                    target.Doubles![row] = double.NaN;
                    return;
                }

                break;
            }

            case ColumnType.Boolean when token is JsonTokenType.True or JsonTokenType.False:
                target.Bytes![row] = token == JsonTokenType.True ? (byte)1 : (byte)0;
                return;
            case ColumnType.Boolean when token == JsonTokenType.String:
                if (Utf8ValueParser.TryParseBoolean(Unescaped(ref reader), out target.Bytes![row]))
                {
                    return;
                }

                break;
            case ColumnType.Timestamp when token == JsonTokenType.String:
                if (Utf8ValueParser.TryParseTimestamp(Unescaped(ref reader), out target.Longs![row]))
                {
                    return;
                }

                break;
            case ColumnType.String:
                target.Strings![row] = token switch
                {
                    JsonTokenType.String => _columnInterners[output].Get(Unescaped(ref reader)),
                    JsonTokenType.StartObject or JsonTokenType.StartArray => Raw(ref reader, line),
                    _ => Encoding.UTF8.GetString(reader.ValueSpan),
                };
                return;
        }

        if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        var column = _layout!.Schema.Columns[output];
        var value = line[start..Math.Max(start, (int)reader.BytesConsumed)];
        var inferred = options.ExpectedSchema is null && !options.TypeOverrides.ContainsKey(column.Name);
        var why = inferred
            ? $"The column type was inferred from the first {options.InferenceRows} rows; override it with ?types={column.Name}:string."
            : "The type comes from the dataset schema or a type override.";
        throw Error(
            DataFormatErrors.TypeMismatch,
            $"Value {TextPosition.Excerpt(value)} in column '{column.Name}' is not a valid {column.Type.ToString().ToLowerInvariant()}. {why}",
            line,
            lineNumber,
            start,
            column.Name);
    }

    private static string Raw(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]);
    }

    private ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        if (_scratch.Length < reader.ValueSpan.Length)
        {
            _scratch = new byte[reader.ValueSpan.Length];
        }

        var n = reader.CopyString(_scratch);
        return _scratch.AsSpan(0, n);
    }

    private static void SetMissing(ColumnBuffer buffer, int row)
    {
        switch (buffer.Type)
        {
            case ColumnType.Numeric:
                buffer.Doubles![row] = double.NaN;
                break;
            case ColumnType.Boolean:
                buffer.Bytes![row] = BooleanColumn.Missing;
                break;
            case ColumnType.Timestamp:
                buffer.Longs![row] = TimestampColumn.Missing;
                break;
            default:
                buffer.Strings![row] = null;
                break;
        }
    }

    private static DataFormatException Error(string code, string message, ReadOnlySpan<byte> line, long lineNumber, int offset, string? field = null)
    {
        var (l, c) = TextPosition.Locate(line, lineNumber, offset);
        return new DataFormatException(code, message, l, c, field);
    }
}
