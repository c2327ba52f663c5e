using System.Globalization;

namespace Granary.Cli.Output;

/// <summary>Human-readable sizes, rates and durations (binary units, invariant culture so output is stable).</summary>
internal static class ByteFormatter
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string FormatBytes(long bytes)
    {
        if (bytes < 0)
        {
            return "-" + FormatBytes(bytes == long.MinValue ? long.MaxValue : -bytes);
        }

        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>Bytes per second over <paramref name="elapsed"/>; "-" when nothing measurable elapsed.</summary>
    public static string FormatRate(long bytes, TimeSpan elapsed)
    {
        if (elapsed <= TimeSpan.Zero)
        {
            return "-";
        }

        var perSecond = bytes / elapsed.TotalSeconds;
        return FormatBytes((long)Math.Round(perSecond)) + "/s";
    }

    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        if (duration.TotalSeconds < 60)
        {
            return duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        }

        if (duration.TotalHours < 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}m {duration.Seconds:00}s");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}h {duration.Minutes:00}m");
    }
}
