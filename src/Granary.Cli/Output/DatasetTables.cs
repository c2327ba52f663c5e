using System.Globalization;
using Granary.Client.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Granary.Cli.Output;

/// <summary>Tables for dataset listings, dataset details and single versions.</summary>
internal static class DatasetTables
{
    public static IRenderable List(IReadOnlyList<DatasetSummary> datasets)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Name")
            .AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn(new TableColumn("Rows").RightAligned())
            .AddColumn(new TableColumn("Columns").RightAligned())
            .AddColumn(new TableColumn("Size").RightAligned())
            .AddColumn("Updated");
        foreach (var d in datasets.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(d.Name),
                d.LatestVersion.ToString(CultureInfo.InvariantCulture),
                ValueFormatter.FormatCount(d.Rows),
                d.Columns.ToString(CultureInfo.InvariantCulture),
                ByteFormatter.FormatBytes(d.Bytes),
                ValueFormatter.FormatTime(d.UpdatedAt));
        }

        return table;
    }

    public static IRenderable Dataset(DatasetInfo info)
    {
        var header = new Grid().AddColumn().AddColumn()
            .AddRow("[bold]Dataset[/]", Markup.Escape(info.Name))
            .AddRow("[bold]Latest version[/]", info.LatestVersion.ToString(CultureInfo.InvariantCulture))
            .AddRow("[bold]Created[/]", ValueFormatter.FormatTime(info.CreatedAt))
            .AddRow("[bold]Updated[/]", ValueFormatter.FormatTime(info.UpdatedAt));

        var versions = new Table().Border(TableBorder.Rounded).Title("Versions")
            .AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn("Kind")
            .AddColumn(new TableColumn("Rows").RightAligned())
            .AddColumn(new TableColumn("Added").RightAligned())
            .AddColumn(new TableColumn("Chunks").RightAligned())
            .AddColumn(new TableColumn("Size").RightAligned())
            .AddColumn("Created");
        foreach (var v in info.Versions.OrderBy(v => v.Version))
        {
            versions.AddRow(
                v.Version.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(v.Kind),
                ValueFormatter.FormatCount(v.Rows),
                ValueFormatter.FormatCount(v.AddedRows),
                v.Chunks.ToString(CultureInfo.InvariantCulture),
                ByteFormatter.FormatBytes(v.Bytes),
                ValueFormatter.FormatTime(v.CreatedAt));
        }

        return new Rows(header, new Text(" "), Schema(info.Schema), new Text(" "), versions);
    }

    public static IRenderable Version(DatasetVersionInfo version)
    {
        var header = new Grid().AddColumn().AddColumn()
            .AddRow("[bold]Dataset[/]", Markup.Escape(version.Name))
            .AddRow("[bold]Version[/]", $"{version.Version} ({Markup.Escape(version.Kind)})")
            .AddRow("[bold]Rows[/]", $"{ValueFormatter.FormatCount(version.Rows)} ({ValueFormatter.FormatCount(version.AddedRows)} added)")
            .AddRow("[bold]Size[/]", ByteFormatter.FormatBytes(version.Bytes))
            .AddRow("[bold]Created[/]", ValueFormatter.FormatTime(version.CreatedAt));

        var chunks = new Table().Border(TableBorder.Rounded).Title("Chunks")
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn(new TableColumn("Rows").RightAligned())
            .AddColumn(new TableColumn("Size").RightAligned())
            .AddColumn("Path");
        foreach (var c in version.Chunks.OrderBy(c => c.Index))
        {
            chunks.AddRow(
                c.Index.ToString(CultureInfo.InvariantCulture),
                ValueFormatter.FormatCount(c.Rows),
                ByteFormatter.FormatBytes(c.Bytes),
                Markup.Escape(c.Path));
        }

        return new Rows(header, new Text(" "), Schema(version.Schema), new Text(" "), chunks);
    }

    public static Table Schema(IReadOnlyList<ColumnInfo> schema)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Schema")
            .AddColumn(new TableColumn("#").RightAligned())
            .AddColumn("Column")
            .AddColumn("Type");
        for (var i = 0; i < schema.Count; i++)
        {
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(schema[i].Name), Markup.Escape(schema[i].Type));
        }

        return table;
    }
}
