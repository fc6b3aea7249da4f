using Heron.Web.Api;
using Heron.Web.RateLimiting;
using Microsoft.AspNetCore.Authorization;

namespace Heron.Web.ApiKeys;

/// <summary>Marks endpoints that need a valid <c>x-api-key</c>; <c>AllowAnonymous()</c> on an endpoint opts it out.</summary>
public sealed class RequiresApiKey
{
    public static readonly RequiresApiKey Instance = new();
}

/// <summary>
/// Enforces <c>x-api-key</c> on every endpoint marked <see cref="RequiresApiKey"/> (the whole <c>/api</c>
/// group: default-deny) unless it is explicitly anonymous. A valid key becomes the request's user and its
/// <see cref="ApiCaller"/>; a refused one is answered 401 with Heron's envelope (429 once the client has
/// used up its refusals) and logged once by <see cref="RejectionLog"/>. A plain middleware rather than an
/// authentication handler and policy: the check is the same, without their per-request machinery.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyVerifier verifier, RejectionLog rejections, ApiRateLimiter rateLimiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<RequiresApiKey>() is null || metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        var (caller, rejection) = await verifier.VerifyAsync(context);
        if (caller is not null)
        {
            context.User = caller.Principal;
            context.Features.Set(caller);
            await next(context);
            return;
        }

        // Refused requests count per client address, never against a customer's quota.
        var decision = rateLimiter.CountRejection(context);
        if (!decision.Allowed)
        {
            rejections.Write(context, rejection!, StatusCodes.Status429TooManyRequests);
            await ApiRateLimiter.WriteThrottledAsync(context, decision);
            return;
        }
        rejections.Write(context, rejection!, StatusCodes.Status401Unauthorized);
        ApiRateLimiter.WriteHeaders(context.Response, decision);
        await ApiError.WriteAsync(context, StatusCodes.Status401Unauthorized, rejection!.Description);
    }
}
