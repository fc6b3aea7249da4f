using Heron.Web.Api;
using Heron.Web.Metrics;
using Heron.Web.RateLimiting;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

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
public sealed class ApiKeyMiddleware(
    RequestDelegate next, ApiKeyVerifier verifier, RejectionLog rejections, ApiRateLimiter rateLimiter, UsageRecorder usage,
    HeronMetrics metrics, IOptions<JsonOptions> json)
{
    /// <summary>
    /// The reasons whose description names no key, so whose 401 body is the same every time: it is serialized
    /// once, with the API's own JSON settings, rather than on every refusal of a flood. The others name
    /// the key's prefix, its expiry, a scope or the caller's address, and are serialized per request.
    /// </summary>
    internal static readonly RejectionReason[] ReasonsNamingNoKey =
    [
        RejectionReason.Missing,
        RejectionReason.Repeated,
        RejectionReason.Malformed,
        RejectionReason.ChecksumMismatch,
        RejectionReason.Unknown,
    ];

    // Indexed by (int)reason; null for the reasons serialized per request.
    private readonly byte[]?[] _serializedBodies = ApiKeyRejection.ByReason(reason => ReasonsNamingNoKey.Contains(reason)
        ? JsonSerializer.SerializeToUtf8Bytes(
            ApiError.Envelope(StatusCodes.Status401Unauthorized, new ApiKeyRejection(reason, null).Description), json.Value.SerializerOptions)
        : null);

    public Task InvokeAsync(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<RequiresApiKey>() is null || metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return next(context);
        }

        // A key this instance has seen is checked without awaiting anything: no state machine on the hot path.
        var verification = verifier.VerifyAsync(context);
        return verification.IsCompletedSuccessfully
            ? Continue(context, verification.Result, metadata)
            : ContinueAfterLookupAsync(context, verification, metadata);
    }

    private async Task ContinueAfterLookupAsync(HttpContext context, ValueTask<ApiKeyVerification> verification, EndpointMetadataCollection metadata) =>
        await Continue(context, await verification, metadata);

    private Task Continue(HttpContext context, ApiKeyVerification verification, EndpointMetadataCollection metadata)
    {
        if (verification.Caller is { } caller)
        {
            if (ApiScopes.Check(caller.Key, metadata) is { } lacksScope)
            {
                return RefuseAsync(context, lacksScope);
            }
            usage.Accepted(caller.Key.KeyId);
            context.User = caller.Principal;
            context.Features.Set(caller);
            metrics.KeyAccepted();
            return next(context);
        }
        return RefuseAsync(context, verification.Rejection!);
    }

    private Task RefuseAsync(HttpContext context, ApiKeyRejection rejection)
    {
        // Refused requests count per client address, never against a customer's quota.
        var clientIp = Common.ClientAddress.Of(context);
        if (rejection.KeyId is { } keyId)
        {
            usage.Rejected(keyId);
        }
        var decision = rateLimiter.CountRejection(clientIp);
        metrics.KeyRefused(rejection.Reason);
        if (!decision.Allowed)
        {
            metrics.Throttled(ThrottleScope.RefusedKeys);
            rejections.Write(context, clientIp, rejection, StatusCodes.Status429TooManyRequests);
            return ApiRateLimiter.WriteThrottledAsync(context, decision);
        }
        rejections.Write(context, clientIp, rejection, rejection.Status);
        ApiRateLimiter.WriteHeaders(context.Response, decision);
        return _serializedBodies[(int)rejection.Reason] is { } body
            ? ApiError.WriteSerializedAsync(context, StatusCodes.Status401Unauthorized, body)
            : ApiError.WriteAsync(context, rejection.Status, rejection.Description);
    }
}
