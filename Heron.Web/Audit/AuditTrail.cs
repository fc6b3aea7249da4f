using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Audit;

/// <summary>A line of Settings → Audit log, whichever table it came from.</summary>
public sealed record AuditEntry(DateTime OccurredAt, string What, ActorKind ActorKind, string Actor, string? ClientIp, string? Detail);

public sealed class AuditTrail(HeronDbContext db, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>Adds an entry; it is saved with the caller's next <c>SaveChanges</c>.</summary>
    public void Add(int realmId, AuditEventKind kind, Actor actor, string? detail = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            RealmId = realmId,
            Kind = kind,
            ActorKind = actor.Kind,
            ActorName = actor.Name,
            ClientIp = actor.ClientIp,
            Detail = detail is { Length: > 500 } ? detail[..500] : detail,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
        });

    /// <summary>The realm's events older than <paramref name="before"/>, newest first: account events and key events merged.</summary>
    public async Task<List<AuditEntry>> PageAsync(int realmId, DateTime? before, CancellationToken cancellationToken)
    {
        var cutoff = before ?? DateTime.MaxValue;
        var accountEvents = await db.AuditEvents.AsNoTracking()
            .Where(e => e.RealmId == realmId && e.OccurredAt < cutoff)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(PageSize)
            .ToListAsync(cancellationToken);
        var keyEvents = await db.ApiKeyEvents.AsNoTracking()
            .Where(e => e.RealmId == realmId && e.OccurredAt < cutoff)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(PageSize)
            .Select(e => new { e.Kind, e.ActorKind, e.ActorName, e.ClientIp, e.OccurredAt, e.ApiKey.Name, e.ApiKey.TokenPrefix })
            .ToListAsync(cancellationToken);

        return accountEvents
            .Select(e => new AuditEntry(e.OccurredAt, Describe(e.Kind), e.ActorKind, e.ActorName, e.ClientIp, e.Detail))
            .Concat(keyEvents.Select(e => new AuditEntry(e.OccurredAt, $"API key {e.Kind.ToString().ToLowerInvariant()}", e.ActorKind,
                e.ActorName, e.ClientIp, $"“{e.Name}” ({e.TokenPrefix}…)")))
            .OrderByDescending(e => e.OccurredAt)
            .Take(PageSize)
            .ToList();
    }

    public static string Describe(AuditEventKind kind) => kind switch
    {
        AuditEventKind.SignedIn => "Signed in",
        AuditEventKind.SignInFailed => "Failed sign-in",
        AuditEventKind.AccountLocked => "Account locked",
        AuditEventKind.PasswordChanged => "Password changed",
        AuditEventKind.PasswordReset => "Password reset",
        AuditEventKind.InvitationSent => "Invitation sent",
        AuditEventKind.InvitationAccepted => "Invitation accepted",
        AuditEventKind.ProductionRequested => "Production credentials requested",
        AuditEventKind.ProductionApproved => "Production credentials approved",
        AuditEventKind.ProductionRejected => "Production credentials request rejected",
        AuditEventKind.TwoFactorEnabled => "Two-factor sign-in turned on",
        AuditEventKind.TwoFactorDisabled => "Two-factor sign-in turned off",
        AuditEventKind.RecoveryCodesRegenerated => "Recovery codes regenerated",
        AuditEventKind.RecoveryCodeUsed => "Signed in with a recovery code",
        AuditEventKind.SecondFactorFailed => "Wrong two-factor code",
        AuditEventKind.TwoFactorRequired => "Two-factor sign-in required by Heron",
        AuditEventKind.TwoFactorNoLongerRequired => "Two-factor sign-in no longer required by Heron",
        AuditEventKind.SignedOutEverywhere => "Signed out everywhere by an operator",
        AuditEventKind.KeyLifetimeLimitSet => "Maximum API key lifetime set by Heron",
        _ => kind.ToString(),
    };
}
