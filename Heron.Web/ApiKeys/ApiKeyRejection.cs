namespace Heron.Web.ApiKeys;

public enum RejectionReason
{
    Missing,
    Repeated,
    Malformed,
    ChecksumMismatch,
    Unknown,
    Deactivated,
    Deleted,
    Expired,
    /// <summary>The key lacks the scope the endpoint requires (403).</summary>
    Scope,
    /// <summary>The caller's address is outside the key's allowlist (403).</summary>
    IpNotAllowed,
}

/// <summary>Why a request's <c>x-api-key</c> was refused, in words that tell the caller what to fix.</summary>
public sealed record ApiKeyRejection(RejectionReason Reason, string? TokenPrefix)
{
    /// <summary>A table with one entry per reason, indexed by <c>(int)reason</c>.</summary>
    public static T[] ByReason<T>(Func<RejectionReason, T> entry)
    {
        var reasons = Enum.GetValues<RejectionReason>();
        var table = new T[(int)reasons.Max() + 1];
        foreach (var reason in reasons)
        {
            table[(int)reason] = entry(reason);
        }
        return table;
    }

    /// <summary>The key, when the token matched one (deactivated or deleted).</summary>
    public int? KeyId { get; init; }

    /// <summary>When an expired key expired.</summary>
    public DateTime? ExpiredAt { get; init; }

    /// <summary>The scope a key lacked; null when the endpoint declares none (refused to every key).</summary>
    public string? Scope { get; init; }

    /// <summary>The address a key was refused from.</summary>
    public string? ClientIp { get; init; }

    /// <summary>401 for a key that does not authenticate; 403 for one that does but may not do this.</summary>
    public int Status => Reason is RejectionReason.Scope or RejectionReason.IpNotAllowed
        ? StatusCodes.Status403Forbidden
        : StatusCodes.Status401Unauthorized;

    /// <summary>The reason as logged and counted: <c>missing</c>, <c>checksum_mismatch</c>, …</summary>
    public string Code => Reason switch
    {
        RejectionReason.Missing => "missing",
        RejectionReason.Repeated => "repeated",
        RejectionReason.Malformed => "malformed",
        RejectionReason.ChecksumMismatch => "checksum_mismatch",
        RejectionReason.Unknown => "unknown",
        RejectionReason.Deactivated => "deactivated",
        RejectionReason.Deleted => "deleted",
        RejectionReason.Expired => "expired",
        RejectionReason.Scope => "scope",
        RejectionReason.IpNotAllowed => "ip_not_allowed",
        _ => throw new ArgumentOutOfRangeException(),
    };

    public string Description => Reason switch
    {
        RejectionReason.Missing =>
            "Missing API key: send your key in the x-api-key header.",
        RejectionReason.Repeated =>
            "More than one API key was sent: send exactly one x-api-key header with a single key.",
        RejectionReason.Malformed =>
            "Malformed API key: Heron API keys are 'key_' followed by 48 lowercase hexadecimal characters. Check that the whole key was copied, without quotes or spaces.",
        RejectionReason.ChecksumMismatch =>
            "Invalid API key: its checksum does not match, so it was mistyped or altered. Copy the key again from where you stored it.",
        RejectionReason.Unknown =>
            "Unknown API key: no key matches it. Check that you are using a key issued for this environment, or create one in Settings → API Credentials.",
        RejectionReason.Deactivated =>
            $"This API key ({TokenPrefix}…) has been deactivated. Reactivate it in Settings → API Credentials, or use another key.",
        RejectionReason.Deleted =>
            $"This API key ({TokenPrefix}…) has been deleted and can never be used again. Create a new key in Settings → API Credentials.",
        RejectionReason.Expired =>
            $"This API key expired at {ExpiredAt:yyyy-MM-ddTHH:mm:ssZ}. Use the key that replaced it, or create a new key in Settings → API Credentials.",
        RejectionReason.Scope => Scope is null
            ? "This endpoint declares no scope, so no key may call it."
            : $"This key lacks the {Scope} scope.",
        RejectionReason.IpNotAllowed =>
            $"This key cannot be used from {ClientIp}. Add the address to the key's allowed addresses in Settings → API Credentials, or call from an allowed one.",
        _ => throw new ArgumentOutOfRangeException(),
    };
}
