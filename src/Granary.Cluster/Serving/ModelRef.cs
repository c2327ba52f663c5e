using System.Globalization;
using Granary.Core;

namespace Granary.Cluster.Serving;

/// <summary>
/// A model reference as clients write it: <c>name</c> (the <c>production</c> alias, else the latest version),
/// <c>name@3</c> (a version) or <c>name@staging</c> (an alias; aliases are never all digits).
/// </summary>
public sealed record ModelRef(string Name, int? Version, string? Alias)
{
    public const string DefaultAlias = "production";

    public static bool TryParse(string? text, out ModelRef reference)
    {
        reference = new ModelRef(string.Empty, null, null);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        if (!ResourceNames.IsValid(name))
        {
            return false;
        }

        if (at < 0)
        {
            reference = new ModelRef(name, null, null);
            return true;
        }

        var suffix = text[(at + 1)..];
        if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1)
        {
            reference = new ModelRef(name, version, null);
            return true;
        }

        if (!ResourceNames.IsValid(suffix))
        {
            return false;
        }

        reference = new ModelRef(name, null, suffix);
        return true;
    }

    public override string ToString() => Version is { } v ? $"{Name}@{v}" : Alias is { } a ? $"{Name}@{a}" : Name;
}
