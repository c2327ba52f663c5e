namespace Granary.Core;

/// <summary>
/// Names clients give to datasets, models and the like: <c>[a-z0-9][a-z0-9-_.]{0,63}</c>. The rule keeps
/// names safe as path segments (no separators, no leading dot, so no traversal) and as URL segments.
/// </summary>
public static class ResourceNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !IsLeading(name[0]))
        {
            return false;
        }

        foreach (var c in name.AsSpan(1))
        {
            if (!IsLeading(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLeading(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
