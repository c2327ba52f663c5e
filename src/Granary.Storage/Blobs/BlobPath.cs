namespace Granary.Storage.Blobs;

/// <summary>Validation of blob paths: relative, '/'-separated segments of [a-z0-9._-], no '.' or '..'.</summary>
public static class BlobPath
{
    public static bool IsValid(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > 512)
        {
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment.StartsWith('.'))
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public static void Validate(string path)
    {
        if (!IsValid(path))
        {
            throw new ArgumentException($"Invalid blob path '{path}'.", nameof(path));
        }
    }
}
