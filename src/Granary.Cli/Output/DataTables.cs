using System.Globalization;
using Granary.Client.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Granary.Cli.Output;

/// <summary>Tables of a dataset's content: preview rows and column profiles.</summary>
internal static class DataTables
{
    public static IRenderable Preview(DatasetPreview preview)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Caption($"{Markup.Escape(preview.Name)} version {preview.Version}: first {preview.Rows.Count} rows");
        foreach (var column in preview.Schema)
        {
            var tableColumn = new TableColumn(Markup.Escape(column.Name));
            table.AddColumn(column.Type == "numeric" ? tableColumn.RightAligned() : tableColumn);
        }

        foreach (var row in preview.Rows)
        {
            // Look values up by schema name so a sparse row (a missing key) shows as missing, not shifted.
            var cells = preview.Schema
                .Select(c => Markup.Escape(ValueFormatter.Format(row.TryGetValue(c.Name, out var v) ? v : null)))
                .ToArray();
            table.AddRow(cells);
        }

        return table;
    }

    public static IRenderable Profile(DatasetProfile profile)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Caption($"{Markup.Escape(profile.Name)} version {profile.Version}: {ValueFormatter.FormatCount(profile.Rows)} rows, "
                + $"computed {ValueFormatter.FormatTime(profile.ComputedAt)} in {profile.Seconds.ToString("0.###", CultureInfo.InvariantCulture)} s")
            .AddColumn("Column")
            .AddColumn("Type");
        foreach (var header in new[] { "Count", "Missing", "Mean", "Std", "Min", "Median", "Max", "Distinct" })
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        table.AddColumn("Top value");

        foreach (var c in profile.Columns)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                Markup.Escape(c.Type),
                ValueFormatter.FormatCount(c.Count),
                ValueFormatter.FormatCount(c.Missing),
                ValueFormatter.FormatNumber(c.Mean),
                ValueFormatter.FormatNumber(c.Std),
                Markup.Escape(Extreme(c, "min", c.Min)),
                Markup.Escape(Median(c)),
                Markup.Escape(Extreme(c, "max", c.Max)),
                "~" + ValueFormatter.FormatCount(c.Distinct),
                Markup.Escape(TopValue(c)));
        }

        return table;
    }

    // Timestamp columns report their extremes as ISO strings in Extra rather than as numbers.
    private static string Extreme(ColumnProfile column, string key, double? numeric) =>
        column.Extra is { } extra && extra.TryGetValue(key, out var text) ? text : ValueFormatter.FormatNumber(numeric);

    private static string Median(ColumnProfile column)
    {
        if (column.Extra is { } extra && (extra.TryGetValue("p50", out var text) || extra.TryGetValue("median", out text)))
        {
            return text;
        }

        if (column.Quantiles is { } q && (q.TryGetValue("p50", out var median) || q.TryGetValue("0.5", out median) || q.TryGetValue("median", out median)))
        {
            return ValueFormatter.FormatNumber(median);
        }

        return ValueFormatter.Missing;
    }

    private static string TopValue(ColumnProfile column)
    {
        if (column.TopValues is not { Count: > 0 } top)
        {
            return string.Empty;
        }

        var first = top[0];
        var value = first.Value.Length > 24 ? first.Value[..23] + "…" : first.Value;
        return $"{value} ({(first.Exact ? string.Empty : "≥")}{ValueFormatter.FormatCount(first.Count)})";
    }
}
