namespace Heron.Web.Email;

public enum EmailKind
{
    Invitation = 1,
    PasswordReset = 2,
    PasswordChanged = 3,
    NewSignIn = 4,
    Lockout = 5,
    ProductionRejected = 6,
    TwoFactorEnabled = 7,
    TwoFactorDisabled = 8,
    RecoveryCodesRegenerated = 9,
    RecoveryCodeUsed = 10,
    ApiKeyExpiring = 11,
}

/// <summary>
/// A message waiting to be delivered. It holds what the message is about, never its secrets: links
/// that carry a token (invitations, password resets) are made when the message is composed for delivery.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public EmailKind Kind { get; set; }
    public required string UserId { get; set; }
    public required string ToAddress { get; set; }
    /// <summary>Facts for the template (time, client IP, browser); JSON, no secrets.</summary>
    public string? Facts { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>An instance sending the message holds it until then, so two instances never send it both.</summary>
    public DateTime? LeasedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Given up on after too many attempts; kept for operators to see.</summary>
    public DateTime? FailedAt { get; set; }
    public string? LastError { get; set; }
}
