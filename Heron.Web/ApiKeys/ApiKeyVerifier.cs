using System.Security.Cryptography;
using Heron.Web.RateLimiting;

namespace Heron.Web.ApiKeys;

/// <summary>The outcome of checking a request's <c>x-api-key</c>: who is calling, or why not.</summary>
public readonly record struct ApiKeyVerification(ApiCaller? Caller, ApiKeyRejection? Rejection);

/// <summary>
/// Checks a request's <c>x-api-key</c> header from memory: the shape and checksum, then the hash in the
/// <see cref="ApiKeyDirectory"/>, which knows every live key, so a token that is no key is refused without
/// touching the database. Records the key's use (or a refusal of a deactivated key) for the dashboard.
/// </summary>
public sealed class ApiKeyVerifier(ApiKeyDirectory directory, LastUsedRecorder usage, TimeProvider clock)
{
    public const string HeaderName = "x-api-key";

    /// <summary>
    /// Completes synchronously unless the token is a live key's first use here (then its details are read
    /// once) or the directory is still loading at start-up (then the request waits for it).
    /// </summary>
    public ValueTask<ApiKeyVerification> VerifyAsync(HttpContext context)
    {
        var values = context.Request.Headers[HeaderName];
        if (values.Count == 0 || values.Count == 1 && string.IsNullOrWhiteSpace(values[0]))
        {
            ConnectionTokenMemory.Forget(context);
            return new(Refused(RejectionReason.Missing, null));
        }
        if (values.Count > 1 || values[0]!.Contains(','))
        {
            ConnectionTokenMemory.Forget(context);
            return new(Refused(RejectionReason.Repeated, null));
        }

        var token = values[0]!;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        // A token this connection's previous key check accepted has a known shape, checksum and hash (any other
        // token makes the connection forget it). Its key's state and controls are not assumed: read below as always,
        // from the directory's memory, which keeps every key it has read, so a remembered token is always found there.
        var repeated = ConnectionTokenMemory.TryRecall(context, token, hash);
        if (!repeated)
        {
            switch (ApiKeyToken.Inspect(token))
            {
                case TokenShape.Malformed:
                    return new(Refused(RejectionReason.Malformed, null));
                case TokenShape.ChecksumMismatch:
                    return new(Refused(RejectionReason.ChecksumMismatch, ApiKeyToken.PrefixOf(token)));
            }
            ApiKeyToken.Hash(token, hash);
        }

        if (directory.TryFindKnown(hash, out var known))
        {
            var outcome = Outcome(known, token, context);
            if (outcome.Caller is not null && !repeated)
            {
                ConnectionTokenMemory.Remember(context, token, hash);
            }
            else if (outcome.Caller is null && repeated)
            {
                ConnectionTokenMemory.Forget(context);
            }
            return new(outcome);
        }
        // A live key's first use on this instance, or one of the few unknown tokens a second re-checked in
        // case the key was created elsewhere since the last change poll. Never gated by the client's refusal
        // budget: that only shapes refused traffic, and must not turn a valid key away.
        return LookUpAsync(hash.ToArray(), token, context);
    }

    private async ValueTask<ApiKeyVerification> LookUpAsync(byte[] hash, string token, HttpContext context) =>
        Outcome(await directory.FindAsync(hash, context.RequestAborted), token, context);

    /// <summary>What a key's state means for the request, with the use (or the refusal of a deactivated key) recorded.</summary>
    private ApiKeyVerification Outcome(VerifiedApiKey? key, string token, HttpContext context)
    {
        switch (key?.State)
        {
            case ApiKeyState.Active:
                var now = clock.GetUtcNow().UtcDateTime;
                if (KeyControlChecks.Refusal(key, now, context) is { } refused)
                {
                    return new(null, refused);
                }
                usage.Record(key.KeyId, now);
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
