using System.Globalization;
using Granary.Core;

namespace Granary.Cluster.Training;

/// <summary>A dataset reference as clients write it: <c>name</c> (latest) or <c>name@version</c>.</summary>
public sealed record DatasetRef(string Name, int? Version)
{
    public static bool TryParse(string? text, out DatasetRef reference)
    {
        reference = new DatasetRef(string.Empty, null);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        int? version = null;
        if (at >= 0)
        {
            if (!int.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                return false;
            }

            version = v;
        }

        if (!ResourceNames.IsValid(name))
        {
            return false;
        }

        reference = new DatasetRef(name, version);
        return true;
    }

    public override string ToString() => Version is { } v ? $"{Name}@{v}" : Name;
}
