using Granary.Server.Problems;

namespace Granary.Server.Auth;

/// <summary>When keys exist, every request but the health probes must carry <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyValidator validator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") ||
            !await validator.IsEnabledAsync(context.RequestAborted))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) &&
            await validator.FindNameAsync(header[scheme.Length..].Trim(), context.RequestAborted) is { } principal)
        {
            RequestPrincipal.Set(context, principal);
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ProblemResults.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
            "Missing or invalid API key. Send 'Authorization: Bearer <key>'.").ExecuteAsync(context);
    }
}
