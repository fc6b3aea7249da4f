using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Production;

/// <summary>
/// "When you're ready to move to production, please contact us": customers ask from the development
/// dashboard, operators approve (the production realm is provisioned and the requester invited to it
/// with a password of its own) or reject with a reason the requester is told.
/// </summary>
public sealed class ProductionAccessService(
    HeronDbContext db, OrganizationService organizations, InvitationService invitations, AuditTrail audit, EmailOutbox outbox, TimeProvider clock)
{
    public async Task<ProductionAccessRequest> RequestAsync(RealmSession session, string? note, Actor actor, CancellationToken cancellationToken)
    {
        if (session.RealmKind != RealmKind.Development)
        {
            throw new HeronRuleException("Production credentials are requested from the development dashboard.");
        }
        var trimmed = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (trimmed is { Length: > ProductionAccessRequest.NoteMaxLength })
        {
            throw new HeronRuleException($"The note can be at most {ProductionAccessRequest.NoteMaxLength} characters.");
        }
        if (await HasProductionAsync(session.OrganizationId, cancellationToken))
        {
            throw new HeronRuleException("Your organization already has production credentials.");
        }
        if (await db.ProductionAccessRequests.AnyAsync(r => r.OrganizationId == session.OrganizationId && r.Status == ProductionRequestStatus.Pending, cancellationToken))
        {
            throw new HeronRuleException("Your organization already has a request waiting for Heron's team.");
        }
        var request = new ProductionAccessRequest
        {
            OrganizationId = session.OrganizationId,
            RequestedByUserId = session.UserId,
            RequestedByEmail = session.Email,
            Note = trimmed,
            RequestedAt = Now(),
            Status = ProductionRequestStatus.Pending,
        };
        db.ProductionAccessRequests.Add(request);
        audit.Add(session.RealmId, AuditEventKind.ProductionRequested, actor, trimmed);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on open requests: a second click, or a colleague, got there first.
            throw new HeronRuleException("Your organization already has a request waiting for Heron's team.");
        }
        return request;
    }

    public Task<bool> HasProductionAsync(int organizationId, CancellationToken cancellationToken) =>
        db.Realms.AnyAsync(r => r.OrganizationId == organizationId && r.Kind == RealmKind.Production, cancellationToken);

    public Task<ProductionAccessRequest?> LatestAsync(int organizationId, CancellationToken cancellationToken) =>
        db.ProductionAccessRequests.AsNoTracking()
            .Where(r => r.OrganizationId == organizationId)
            .OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);

    public Task<int> PendingCountAsync(CancellationToken cancellationToken) =>
        db.ProductionAccessRequests.CountAsync(r => r.Status == ProductionRequestStatus.Pending, cancellationToken);

    /// <summary>Pending requests first (oldest first), then the latest decisions.</summary>
    public async Task<List<ProductionAccessRequest>> QueueAsync(CancellationToken cancellationToken)
    {
        var pending = await db.ProductionAccessRequests.AsNoTracking().Include(r => r.Organization)
            .Where(r => r.Status == ProductionRequestStatus.Pending).OrderBy(r => r.RequestedAt).ToListAsync(cancellationToken);
        var decided = await db.ProductionAccessRequests.AsNoTracking().Include(r => r.Organization)
            .Where(r => r.Status != ProductionRequestStatus.Pending).OrderByDescending(r => r.DecidedAt).Take(20).ToListAsync(cancellationToken);
        return [.. pending, .. decided];
    }

    /// <summary>Approves a pending request: provisions production and invites the requester to it.</summary>
    public async Task<Realm> ApproveAsync(int requestId, Actor actor, CancellationToken cancellationToken)
    {
        var request = await PendingAsync(requestId, cancellationToken);
        return await GrantAsync(request.Organization.Slug, actor, inviteEmail: null, cancellationToken);
    }

    /// <summary>
    /// Provisions the organization's production realm, approves its pending request if it has one, and
    /// invites the requester (or <paramref name="inviteEmail"/>) to production by email.
    /// </summary>
    public async Task<Realm> GrantAsync(string slug, Actor actor, string? inviteEmail, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var production = await organizations.GrantProductionAsync(slug, cancellationToken);
        var development = await db.Realms.SingleAsync(r => r.OrganizationId == production.OrganizationId && r.Kind == RealmKind.Development, cancellationToken);
        var request = await db.ProductionAccessRequests
            .Where(r => r.OrganizationId == production.OrganizationId && r.Status == ProductionRequestStatus.Pending)
            .SingleOrDefaultAsync(cancellationToken);
        if (request is not null)
        {
            request.Status = ProductionRequestStatus.Approved;
            request.DecidedAt = Now();
            request.DecidedBy = actor.Name;
        }
        audit.Add(development.Id, AuditEventKind.ProductionApproved, actor);
        await db.SaveChangesAsync(cancellationToken);

        if ((inviteEmail ?? request?.RequestedByEmail) is { } email)
        {
            await invitations.InviteAsync(production, email, actor, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        return production;
    }

    public async Task RejectAsync(int requestId, string reason, Actor actor, CancellationToken cancellationToken)
    {
        var trimmed = reason.Trim();
        if (trimmed.Length is 0 or > ProductionAccessRequest.NoteMaxLength)
        {
            throw new HeronRuleException("Give the customer a reason (up to 1000 characters): they will read it.");
        }
        var request = await PendingAsync(requestId, cancellationToken);
        request.Status = ProductionRequestStatus.Rejected;
        request.DecidedAt = Now();
        request.DecidedBy = actor.Name;
        request.RejectionReason = trimmed;
        var development = await db.Realms.SingleAsync(r => r.OrganizationId == request.OrganizationId && r.Kind == RealmKind.Development, cancellationToken);
        audit.Add(development.Id, AuditEventKind.ProductionRejected, actor, trimmed);
        var requester = await db.Users.SingleOrDefaultAsync(u => u.Id == request.RequestedByUserId, cancellationToken);
        if (requester is not null)
        {
            outbox.Add(EmailKind.ProductionRejected, requester, new MessageFacts(Now(), null, null, trimmed));
        }
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
    }

    private async Task<ProductionAccessRequest> PendingAsync(int requestId, CancellationToken cancellationToken) =>
        await db.ProductionAccessRequests.Include(r => r.Organization)
            .SingleOrDefaultAsync(r => r.Id == requestId && r.Status == ProductionRequestStatus.Pending, cancellationToken)
        ?? throw new HeronRuleException("That request is no longer waiting for a decision.");

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
