using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Granary.Core.Ingest;

/// <summary>
/// Parses cell values straight from UTF-8 bytes, so the hot path never allocates strings.
/// Shared by the CSV and NDJSON readers so both infer and convert identically.
/// </summary>
internal static class Utf8ValueParser
{
    // Powers of ten that are exact in binary64; dividing an exact mantissa by one of them is a single
    // correctly rounded IEEE operation, so the result equals double.Parse (Clinger's fast path).
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>Parses a number exactly as <c>double.Parse(text, CultureInfo.InvariantCulture)</c> would.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        // Hot path of numeric ingest: unchecked reads (every index is below s.Length) and one digit loop per part.
        var length = s.Length;
        ref var p = ref MemoryMarshal.GetReference(s);
        var i = 0;
        var negative = false;
        if (length > 0 && (p == (byte)'-' || p == (byte)'+'))
        {
            negative = p == (byte)'-';
            i = 1;
        }

        var intStart = i;
        ulong mantissa = 0;
        while (i < length)
        {
            var d = (uint)(Unsafe.Add(ref p, i) - '0');
            if (d > 9)
            {
                break;
            }

            mantissa = (mantissa * 10) + d;
            i++;
        }

        var digits = i - intStart;
        var fraction = 0;
        if (i < length && Unsafe.Add(ref p, i) == (byte)'.')
        {
            i++;
            var fractionStart = i;
            while (i < length)
            {
                var d = (uint)(Unsafe.Add(ref p, i) - '0');
                if (d > 9)
                {
                    break;
                }

                mantissa = (mantissa * 10) + d;
                i++;
            }

            fraction = i - fractionStart;
            digits += fraction;
        }

        // At most 15 digits keeps the mantissa below 2^53, hence exact.
        if (i == length && digits > 0 && digits <= 15)
        {
            var v = fraction == 0 ? mantissa : mantissa / Pow10[fraction];
            value = negative ? -v : v;
            return true;
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Tokens that mean "no value" in a numeric column: empty, NaN, NA, N/A, null (any case).</summary>
    public static bool IsNumericMissing(ReadOnlySpan<byte> s) =>
        s.Length == 0
        || EqualsIgnoreCase(s, "nan"u8)
        || EqualsIgnoreCase(s, "na"u8)
        || EqualsIgnoreCase(s, "n/a"u8)
        || EqualsIgnoreCase(s, "null"u8);

    public static bool TryParseBoolean(ReadOnlySpan<byte> s, out byte value)
    {
        if (EqualsIgnoreCase(s, "true"u8))
        {
            value = 1;
            return true;
        }

        if (EqualsIgnoreCase(s, "false"u8))
        {
            value = 0;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// ISO 8601 date (<c>yyyy-MM-dd</c>) or date-time (<c>T</c> or space, <c>HH:mm[:ss[.f…]]</c>, optional
    /// <c>Z</c> or <c>±HH[:mm]</c>); no offset means UTC. Returns microseconds since the Unix epoch.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out long micros)
    {
        micros = 0;
        if (s.Length < 10 || s[4] != (byte)'-' || s[7] != (byte)'-'
            || !TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        long ticks = new DateTime(year, month, day).Ticks;
        var i = 10;
        if (i < s.Length)
        {
            if ((s[i] != (byte)'T' && s[i] != (byte)'t' && s[i] != (byte)' ') || s.Length < i + 6
                || !TryDigits(s, i + 1, 2, out var hour) || s[i + 3] != (byte)':' || !TryDigits(s, i + 4, 2, out var minute)
                || hour > 23 || minute > 59)
            {
                return false;
            }

            ticks += (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute);
            i += 6;
            if (i < s.Length && s[i] == (byte)':')
            {
                if (!TryDigits(s, i + 1, 2, out var second) || second > 59)
                {
                    return false;
                }

                ticks += second * TimeSpan.TicksPerSecond;
                i += 3;
                if (i < s.Length && (s[i] == (byte)'.' || s[i] == (byte)','))
                {
                    i++;
                    var start = i;
                    long frac = 0;
                    while (i < s.Length && (uint)(s[i] - '0') <= 9)
                    {
                        // Ticks are 100 ns: keep 7 digits, drop the rest.
                        if (i - start < 7)
                        {
                            frac = (frac * 10) + (s[i] - '0');
                        }

                        i++;
                    }

                    var count = i - start;
                    if (count == 0 || count > 9)
                    {
                        return false;
                    }

                    for (var k = count; k < 7; k++)
                    {
                        frac *= 10;
                    }

                    ticks += frac;
                }
            }

            if (i < s.Length)
            {
                if (s[i] == (byte)'Z' || s[i] == (byte)'z')
                {
                    i++;
                }
                else if (s[i] == (byte)'+' || s[i] == (byte)'-')
                {
                    var sign = s[i] == (byte)'-' ? -1 : 1;
                    if (!TryDigits(s, i + 1, 2, out var offHour) || offHour > 23)
                    {
                        return false;
                    }

                    i += 3;
                    var offMinute = 0;
                    if (i < s.Length && s[i] == (byte)':')
                    {
                        i++;
                    }

                    if (i < s.Length)
                    {
                        if (!TryDigits(s, i, 2, out offMinute) || offMinute > 59)
                        {
                            return false;
                        }

                        i += 2;
                    }

                    ticks -= sign * ((offHour * TimeSpan.TicksPerHour) + (offMinute * TimeSpan.TicksPerMinute));
                }
            }

            if (i != s.Length)
            {
                return false;
            }
        }

        micros = Math.DivRem(ticks - UnixEpochTicks, 10, out var rem) - (rem < 0 ? 1 : 0);
        return true;
    }

    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> lowerAscii)
    {
        if (s.Length != lowerAscii.Length)
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if ((s[i] | 0x20) != lowerAscii[i] && s[i] != lowerAscii[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }
}
