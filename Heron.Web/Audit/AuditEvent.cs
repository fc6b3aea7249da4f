namespace Heron.Web.Audit;

/// <summary>What happened in a realm, for Settings → Audit log. API key lifecycle events live in <see cref="ApiKeys.ApiKeyEvent"/>.</summary>
public enum AuditEventKind
{
    SignedIn = 1,
    SignInFailed = 2,
    AccountLocked = 3,
    PasswordChanged = 4,
    PasswordReset = 5,
    InvitationSent = 6,
    InvitationAccepted = 7,
    ProductionRequested = 8,
    ProductionApproved = 9,
    ProductionRejected = 10,
    TwoFactorEnabled = 11,
    TwoFactorDisabled = 12,
    RecoveryCodesRegenerated = 13,
    RecoveryCodeUsed = 14,
    SecondFactorFailed = 15,
    TwoFactorRequired = 16,
    TwoFactorNoLongerRequired = 17,
    // Numbered apart from the kinds above so kinds added alongside never collide.
    SignedOutEverywhere = 20,
    KeyLifetimeLimitSet = 21,
}

/// <summary>One entry of a realm's audit trail. Append-only.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public int RealmId { get; set; }
    public AuditEventKind Kind { get; set; }
    public ActorKind ActorKind { get; set; }
    public required string ActorName { get; set; }
    public string? ClientIp { get; set; }
    /// <summary>What it concerned, in words: an invited address, a request's note or rejection reason.</summary>
    public string? Detail { get; set; }
    public DateTime OccurredAt { get; set; }
}
