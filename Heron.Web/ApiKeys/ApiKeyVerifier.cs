using Heron.Web.RateLimiting;

namespace Heron.Web.ApiKeys;

/// <summary>The outcome of checking a request's <c>x-api-key</c>: who is calling, or why not.</summary>
public readonly record struct ApiKeyVerification(ApiCaller? Caller, ApiKeyRejection? Rejection);

/// <summary>
/// Checks a request's <c>x-api-key</c> header. A well-formed key with a valid checksum costs one
/// dictionary lookup once this instance has seen it; anything else is refused without touching the
/// database. Records the key's use (or a refusal of a deactivated key) for the dashboard.
/// </summary>
public sealed class ApiKeyVerifier(ApiKeyDirectory directory, LastUsedRecorder usage, ApiRateLimiter rateLimiter, TimeProvider clock)
{
    public const string HeaderName = "x-api-key";

    public async ValueTask<ApiKeyVerification> VerifyAsync(HttpContext context)
    {
        var verification = await CheckAsync(context);
        if (verification.Caller is { } caller)
        {
            usage.Record(caller.Key.KeyId, clock.GetUtcNow().UtcDateTime);
        }
        else if (verification.Rejection is { Reason: RejectionReason.Deactivated, KeyId: { } deactivated })
        {
            usage.RecordRejection(deactivated, clock.GetUtcNow().UtcDateTime);
        }
        return verification;
    }

    private async ValueTask<ApiKeyVerification> CheckAsync(HttpContext context)
    {
        var values = context.Request.Headers[HeaderName];
        if (values.Count == 0 || values.Count == 1 && string.IsNullOrWhiteSpace(values[0]))
        {
            return Refused(RejectionReason.Missing, null);
        }
        if (values.Count > 1 || values[0]!.Contains(','))
        {
            return Refused(RejectionReason.Repeated, null);
        }

        var token = values[0]!;
        switch (ApiKeyToken.Inspect(token))
        {
            case TokenShape.Malformed:
                return Refused(RejectionReason.Malformed, null);
            case TokenShape.ChecksumMismatch:
                return Refused(RejectionReason.ChecksumMismatch, ApiKeyToken.PrefixOf(token));
        }

        var prefix = ApiKeyToken.PrefixOf(token);
        var hash = ApiKeyToken.Hash(token);
        if (!directory.TryFindKnown(hash, out var key))
        {
            // A client that has used up its refusals gets no database lookups for tokens this instance has not seen.
            if (rateLimiter.RejectionBudgetSpent(context))
            {
                return Refused(RejectionReason.Throttled, prefix);
            }
            key = await directory.FindAsync(hash, context.RequestAborted);
        }
        return key?.State switch
        {
            null => Refused(RejectionReason.Unknown, prefix),
            ApiKeyState.Deactivated => new(null, new ApiKeyRejection(RejectionReason.Deactivated, prefix) { KeyId = key.KeyId }),
            ApiKeyState.Deleted => Refused(RejectionReason.Deleted, prefix),
            _ => new(key.Caller, null),
        };
    }

    private static ApiKeyVerification Refused(RejectionReason reason, string? prefix) => new(null, new ApiKeyRejection(reason, prefix));
}
