using System.Text.Encodings.Web;
using Heron.Web.Api;
using Heron.Web.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

/// <summary>
/// Authenticates <c>/api</c> requests by their <c>x-api-key</c> header. A well-formed key with a valid
/// checksum costs one dictionary lookup once its instance has seen it; anything else is refused without
/// touching the database. A refused request is answered 401 with Heron's envelope and logged once.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyDirectory directory,
    LastUsedRecorder lastUsed,
    RejectionLog rejections,
    ApiRateLimiter rateLimiter,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "x-api-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (caller, rejection) = await VerifyAsync();
        if (rejection is { Reason: RejectionReason.Deactivated, KeyId: { } deactivatedKey })
        {
            lastUsed.RecordRejection(deactivatedKey, clock.GetUtcNow().UtcDateTime);
        }
        if (caller is null)
        {
            Context.Features.Set(rejection);
            return AuthenticateResult.Fail(rejection!.Description);
        }

        Context.Features.Set(caller);
        lastUsed.Record(caller.Key.KeyId, clock.GetUtcNow().UtcDateTime);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.Principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<ApiKeyRejection>() is null)
        {
            await HandleAuthenticateOnceAsync();
        }
        var rejection = Context.Features.Get<ApiKeyRejection>() ?? new ApiKeyRejection(RejectionReason.Missing, null);
        // Refused requests count per client address, never against a customer's quota.
        var decision = rateLimiter.CountRejection(Context);
        if (!decision.Allowed)
        {
            rejections.Write(Context, rejection, StatusCodes.Status429TooManyRequests);
            await ApiRateLimiter.WriteThrottledAsync(Context, decision);
            return;
        }
        rejections.Write(Context, rejection, StatusCodes.Status401Unauthorized);
        ApiRateLimiter.WriteHeaders(Response, decision);
        await ApiError.WriteAsync(Context, StatusCodes.Status401Unauthorized, rejection.Description);
    }

    private async ValueTask<(ApiCaller? Caller, ApiKeyRejection? Rejection)> VerifyAsync()
    {
        var values = Request.Headers[HeaderName];
        if (values.Count == 0 || values.Count == 1 && string.IsNullOrWhiteSpace(values[0]))
        {
            return (null, new(RejectionReason.Missing, null));
        }
        if (values.Count > 1 || values[0]!.Contains(','))
        {
            return (null, new(RejectionReason.Repeated, null));
        }

        var token = values[0]!;
        switch (ApiKeyToken.Inspect(token))
        {
            case TokenShape.Malformed:
                return (null, new(RejectionReason.Malformed, null));
            case TokenShape.ChecksumMismatch:
                return (null, new(RejectionReason.ChecksumMismatch, ApiKeyToken.PrefixOf(token)));
        }

        var prefix = ApiKeyToken.PrefixOf(token);
        var hash = ApiKeyToken.Hash(token);
        if (!directory.TryFindKnown(hash, out var key))
        {
            // A client that has used up its refusals gets no database lookups for tokens this instance has not seen.
            if (rateLimiter.RejectionBudgetSpent(Context))
            {
                return (null, new(RejectionReason.Throttled, prefix));
            }
            key = await directory.FindAsync(hash, Context.RequestAborted);
        }
        return key?.State switch
        {
            null => (null, new(RejectionReason.Unknown, prefix)),
            ApiKeyState.Deactivated => (null, new(RejectionReason.Deactivated, prefix) { KeyId = key.KeyId }),
            ApiKeyState.Deleted => (null, new(RejectionReason.Deleted, prefix)),
            _ => (key.Caller, null),
        };
    }
}
