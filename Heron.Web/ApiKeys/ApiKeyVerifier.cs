using System.Security.Cryptography;
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

    /// <summary>
    /// Completes synchronously unless the token is one this instance has not seen yet: then the database
    /// is asked once, and the answer (key or unknown) remembered.
    /// </summary>
    public ValueTask<ApiKeyVerification> VerifyAsync(HttpContext context)
    {
        var values = context.Request.Headers[HeaderName];
        if (values.Count == 0 || values.Count == 1 && string.IsNullOrWhiteSpace(values[0]))
        {
            return new(Refused(RejectionReason.Missing, null));
        }
        if (values.Count > 1 || values[0]!.Contains(','))
        {
            return new(Refused(RejectionReason.Repeated, null));
        }

        var token = values[0]!;
        switch (ApiKeyToken.Inspect(token))
        {
            case TokenShape.Malformed:
                return new(Refused(RejectionReason.Malformed, null));
            case TokenShape.ChecksumMismatch:
                return new(Refused(RejectionReason.ChecksumMismatch, ApiKeyToken.PrefixOf(token)));
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        ApiKeyToken.Hash(token, hash);
        if (directory.TryFindKnown(hash, out var known))
        {
            return new(Outcome(known, token));
        }
        // A client that has used up its refusals gets no database lookups for tokens this instance has not seen.
        if (rateLimiter.RejectionBudgetSpent(Common.ClientAddress.Of(context)))
        {
            return new(Refused(RejectionReason.Throttled, ApiKeyToken.PrefixOf(token)));
        }
        return LookUpAsync(hash.ToArray(), token, context.RequestAborted);
    }

    private async ValueTask<ApiKeyVerification> LookUpAsync(byte[] hash, string token, CancellationToken cancellationToken) =>
        Outcome(await directory.FindAsync(hash, cancellationToken), token);

    /// <summary>What a key's state means for the request, with the use (or the refusal of a deactivated key) recorded.</summary>
    private ApiKeyVerification Outcome(VerifiedApiKey? key, string token)
    {
        switch (key?.State)
        {
            case ApiKeyState.Active:
                usage.Record(key.KeyId, clock.GetUtcNow().UtcDateTime);
                return new(key.Caller, null);
            case ApiKeyState.Deactivated:
                usage.RecordRejection(key.KeyId, clock.GetUtcNow().UtcDateTime);
                return new(null, new ApiKeyRejection(RejectionReason.Deactivated, ApiKeyToken.PrefixOf(token)) { KeyId = key.KeyId });
            case ApiKeyState.Deleted:
                return Refused(RejectionReason.Deleted, ApiKeyToken.PrefixOf(token));
            default:
                return Refused(RejectionReason.Unknown, ApiKeyToken.PrefixOf(token));
        }
    }

    private static ApiKeyVerification Refused(RejectionReason reason, string? prefix) =>
        new(null, prefix is null ? WithoutPrefix[(int)reason] : new ApiKeyRejection(reason, prefix));

    // Refusals that name no key are all alike: one immutable instance per reason.
    private static readonly ApiKeyRejection[] WithoutPrefix = ApiKeyRejection.ByReason(reason => new ApiKeyRejection(reason, null));
}
