using System.Security.Cryptography;
using System.Text;

namespace Granary.Server.Auth;

/// <summary>API keys are random 32-byte secrets; only their SHA-256 digest is ever stored.</summary>
public static class ApiKeyHasher
{
    public const string Prefix = "gk_";

    public static string NewKey() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool IsHash(string value) =>
        value.Length == 64 && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F'));
}
