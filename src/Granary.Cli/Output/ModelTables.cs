using System.Globalization;
using System.Text.Json;
using Granary.Client.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Granary.Cli.Output;

/// <summary>Tables for model listings, a model's versions and aliases, and one version in full.</summary>
internal static class ModelTables
{
    // A version row shows a few metrics so the table stays narrow; `show --version` has them all.
    private const int KeyMetricCount = 4;

    public static IRenderable List(IReadOnlyList<ModelSummary> models)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Name")
            .AddColumn(new TableColumn("Latest").RightAligned())
            .AddColumn("Aliases")
            .AddColumn("Updated");
        foreach (var m in models.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(m.Name),
                m.LatestVersion.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(FormatAliases(m.Aliases)),
                ValueFormatter.FormatTime(m.UpdatedAt));
        }

        return table;
    }

    public static IRenderable Model(ModelInfo info)
    {
        var header = new Grid().AddColumn().AddColumn()
            .AddRow("[bold]Model[/]", Markup.Escape(info.Name))
            .AddRow("[bold]Latest version[/]", info.LatestVersion.ToString(CultureInfo.InvariantCulture))
            .AddRow("[bold]Created[/]", ValueFormatter.FormatTime(info.CreatedAt))
            .AddRow("[bold]Updated[/]", ValueFormatter.FormatTime(info.UpdatedAt));

        var versions = new Table().Border(TableBorder.Rounded).Title("Versions")
            .AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn("Algorithm")
            .AddColumn("Dataset")
            .AddColumn("Metrics")
            .AddColumn("Aliases")
            .AddColumn("Created");
        foreach (var v in info.Versions.OrderBy(v => v.Version))
        {
            var aliases = info.Aliases.Where(a => a.Version == v.Version).Select(a => a.Alias);
            versions.AddRow(
                v.Version.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(v.Algorithm),
                Markup.Escape(v.Dataset),
                Markup.Escape(string.Join(", ", FlattenMetrics(v.Metrics).Take(KeyMetricCount).Select(m => $"{m.Key}={m.Value}"))),
                Markup.Escape(string.Join(", ", aliases)),
                ValueFormatter.FormatTime(v.CreatedAt));
        }

        var parts = new List<IRenderable> { header, new Text(" "), versions };
        if (info.Aliases.Count > 0)
        {
            var aliases = new Table().Border(TableBorder.Rounded).Title("Aliases")
                .AddColumn("Alias").AddColumn(new TableColumn("Version").RightAligned()).AddColumn("By").AddColumn("Updated");
            foreach (var a in info.Aliases.OrderBy(a => a.Alias, StringComparer.Ordinal))
            {
                aliases.AddRow(Markup.Escape(a.Alias), a.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(a.UpdatedBy), ValueFormatter.FormatTime(a.UpdatedAt));
            }

            parts.AddRange([new Text(" "), aliases]);
        }

        if (info.AliasHistory.Count > 0)
        {
            var history = new Table().Border(TableBorder.Rounded).Title("Alias history")
                .AddColumn("When").AddColumn("Alias").AddColumn(new TableColumn("From").RightAligned()).AddColumn(new TableColumn("To").RightAligned()).AddColumn("By");
            foreach (var h in info.AliasHistory)
            {
                history.AddRow(
                    ValueFormatter.FormatTime(h.ChangedAt),
                    Markup.Escape(h.Alias),
                    FormatVersion(h.FromVersion),
                    FormatVersion(h.ToVersion),
                    Markup.Escape(h.ChangedBy));
            }

            parts.AddRange([new Text(" "), history]);
        }

        return new Rows(parts);
    }

    public static IRenderable Version(ModelVersionInfo version)
    {
        var header = new Grid().AddColumn().AddColumn()
            .AddRow("[bold]Model[/]", Markup.Escape(version.Name))
            .AddRow("[bold]Version[/]", version.Version.ToString(CultureInfo.InvariantCulture))
            .AddRow("[bold]Algorithm[/]", Markup.Escape(version.Algorithm))
            .AddRow("[bold]Dataset[/]", Markup.Escape(version.Dataset))
            .AddRow("[bold]Job[/]", Markup.Escape(version.JobId ?? ValueFormatter.Missing))
            .AddRow("[bold]Aliases[/]", Markup.Escape(version.Aliases.Count == 0 ? ValueFormatter.Missing : string.Join(", ", version.Aliases)))
            .AddRow("[bold]Artifact[/]", Markup.Escape(version.ArtifactPath))
            .AddRow("[bold]Created[/]", ValueFormatter.FormatTime(version.CreatedAt));

        var parts = new List<IRenderable> { header };
        AddKeyValues(parts, "Parameters", "Parameter", FlattenAll(version.Parameters));
        AddKeyValues(parts, "Metrics", "Metric", FlattenMetrics(version.Metrics));
        if (version.Artifact is { ValueKind: JsonValueKind.Object } artifact &&
            artifact.TryGetProperty("coefficients", out var coefficients) && coefficients.ValueKind == JsonValueKind.Object)
        {
            var rows = coefficients.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, ValueFormatter.Format(p.Value))).ToList();
            if (artifact.TryGetProperty("intercept", out var intercept))
            {
                rows.Add(new KeyValuePair<string, string>("(intercept)", ValueFormatter.Format(intercept)));
            }

            AddKeyValues(parts, "Coefficients", "Feature", rows);
        }

        return new Rows(parts);
    }

    /// <summary>Numbers at the top level, then one level down as <c>group.name</c> (e.g. <c>validation.auc</c>).</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> FlattenMetrics(JsonElement metrics)
    {
        if (metrics.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var top = new List<KeyValuePair<string, string>>();
        var nested = new List<KeyValuePair<string, string>>();
        foreach (var property in metrics.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number)
            {
                top.Add(new(property.Name, ValueFormatter.Format(property.Value)));
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                nested.AddRange(property.Value.EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                    .Select(p => new KeyValuePair<string, string>($"{property.Name}.{p.Name}", ValueFormatter.Format(p.Value))));
            }
        }

        return [.. top, .. nested];
    }

    private static IReadOnlyList<KeyValuePair<string, string>> FlattenAll(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, ValueFormatter.Format(p.Value))).ToList()
            : [];

    private static void AddKeyValues(List<IRenderable> parts, string title, string keyColumn, IReadOnlyList<KeyValuePair<string, string>> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title(title).AddColumn(keyColumn).AddColumn(new TableColumn("Value").RightAligned());
        foreach (var (key, value) in rows)
        {
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        }

        parts.AddRange([new Text(" "), table]);
    }

    private static string FormatAliases(IReadOnlyDictionary<string, int> aliases) =>
        aliases.Count == 0
            ? string.Empty
            : string.Join(", ", aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}→{a.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static string FormatVersion(int? version) => version?.ToString(CultureInfo.InvariantCulture) ?? "—";
}
