namespace Granary.Server.Auth;

/// <summary>
/// Who sent a request, for audit fields such as who moved an alias: the name of the API key that
/// authenticated it, or <see cref="Anonymous"/> when authentication is off.
/// </summary>
public static class RequestPrincipal
{
    public const string ItemKey = "granary.principal";

    public const string Anonymous = "anonymous";

    public static string NameOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(ItemKey, out var value) && value is string { Length: > 0 } name ? name : Anonymous;
    }

    internal static void Set(HttpContext context, string name) => context.Items[ItemKey] = name;
}
