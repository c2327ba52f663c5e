using Granary.Core.Data;

namespace Granary.Core.Ingest;

/// <summary>
/// Decides column types from sample values: boolean if every value is true/false, numeric if every value
/// parses as a number (NaN/NA/N/A/null count as missing), timestamp if every value is ISO 8601, else string.
/// Empty values are missing; a column with no values at all is a string column.
/// </summary>
internal sealed class TypeInferrer(int columnCount)
{
    private readonly bool[] _notBoolean = new bool[columnCount];
    private readonly bool[] _notNumeric = new bool[columnCount];
    private readonly bool[] _notTimestamp = new bool[columnCount];
    private readonly long[] _present = new long[columnCount];
    private readonly long[] _numbers = new long[columnCount];

    public void Observe(int column, ReadOnlySpan<byte> value)
    {
        if (value.Length == 0)
        {
            return;
        }

        _present[column]++;
        if (!_notNumeric[column])
        {
            if (Utf8ValueParser.TryParseDouble(value, out var d))
            {
                if (!double.IsNaN(d))
                {
                    _numbers[column]++;
                }
            }
            else if (!Utf8ValueParser.IsNumericMissing(value))
            {
                _notNumeric[column] = true;
            }
        }

        if (!_notBoolean[column] && !Utf8ValueParser.TryParseBoolean(value, out _))
        {
            _notBoolean[column] = true;
        }

        if (!_notTimestamp[column] && !Utf8ValueParser.TryParseTimestamp(value, out _))
        {
            _notTimestamp[column] = true;
        }
    }

    /// <summary>Records a value already known to be of a JSON kind (number, boolean) without text.</summary>
    public void ObserveKind(int column, ColumnType kind)
    {
        _present[column]++;
        if (kind != ColumnType.Boolean)
        {
            _notBoolean[column] = true;
        }

        if (kind != ColumnType.Numeric)
        {
            _notNumeric[column] = true;
        }
        else
        {
            _numbers[column]++;
        }

        _notTimestamp[column] = true;
    }

    /// <summary>Forces a column to string (for example a JSON object or array value).</summary>
    public void ObserveString(int column)
    {
        _present[column]++;
        _notBoolean[column] = _notNumeric[column] = _notTimestamp[column] = true;
    }

    public ColumnType Result(int column)
    {
        if (_present[column] == 0)
        {
            return ColumnType.String;
        }

        if (!_notBoolean[column])
        {
            return ColumnType.Boolean;
        }

        if (!_notNumeric[column] && _numbers[column] > 0)
        {
            return ColumnType.Numeric;
        }

        return !_notTimestamp[column] ? ColumnType.Timestamp : ColumnType.String;
    }
}
