using System.Globalization;
using System.Text.Json;

namespace Granary.Cli.Output;

/// <summary>Formats cell values (JSON elements from previews, numbers from profiles) for tables.</summary>
internal static class ValueFormatter
{
    public const string Missing = "∅";

    public static string Format(object? value) => value switch
    {
        null => Missing,
        JsonElement element => Format(element),
        double d => FormatNumber(d),
        float f => FormatNumber(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    public static string Format(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Missing,
        JsonValueKind.String => element.GetString() ?? string.Empty,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        // Keep the server's digits for integers; trim long fractions so tables stay narrow.
        JsonValueKind.Number => element.TryGetInt64(out var l)
            ? l.ToString(CultureInfo.InvariantCulture)
            : FormatNumber(element.GetDouble()),
        _ => element.GetRawText(),
    };

    public static string FormatNumber(double? value)
    {
        if (value is not { } d)
        {
            return Missing;
        }

        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return d.ToString(CultureInfo.InvariantCulture);
        }

        if (d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            return d.ToString("0", CultureInfo.InvariantCulture);
        }

        var abs = Math.Abs(d);
        return abs is >= 1e-4 and < 1e9
            ? d.ToString("0.####", CultureInfo.InvariantCulture)
            : d.ToString("0.###e+0", CultureInfo.InvariantCulture);
    }

    public static string FormatCount(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string FormatTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
