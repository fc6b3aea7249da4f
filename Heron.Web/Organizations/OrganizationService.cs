using Heron.Web.Accounts;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Audit;
using Heron.Web.Email;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Organizations;

public sealed record Onboarding(Organization Organization, Realm Development, HeronUser FirstUser);

/// <summary>Organizations and their realms: onboarding, production access, Heron's own operators.</summary>
public sealed class OrganizationService(HeronDbContext db, AccountService accounts, InvitationService invitations, EmailOutbox outbox, TimeProvider clock)
{
    /// <summary>The organization that holds Heron's internal realm.</summary>
    public const string HeronSlug = "heron";
    private const int NameMaxLength = 200;

    /// <summary>
    /// Creates the organization, its development realm and a pending account (no password yet) for its
    /// first user, and invites that user by email to set a password.
    /// </summary>
    public async Task<Onboarding> OnboardAsync(string name, string email, Actor actor, CancellationToken cancellationToken)
    {
        var trimmedName = name.Trim();
        if (trimmedName.Length is 0 or > NameMaxLength || trimmedName.Any(char.IsControl))
        {
            throw new HeronRuleException($"An organization name must be 1 to {NameMaxLength} printable characters.");
        }
        var address = EmailAddress.Normalize(email) ?? throw new HeronRuleException($"'{email}' is not an email address.");
        // Names that differ only in case share a slug stem. They are compared here, not with SQL's lower(),
        // which on SQLite folds ASCII only and so let "Café Ünïcode" be onboarded twice.
        var stem = OrganizationSlug.From(trimmedName);
        var similarNames = await db.Organizations
            .Where(o => o.Name == trimmedName || o.Slug == stem || o.Slug.StartsWith(stem + "-"))
            .Select(o => o.Name)
            .ToListAsync(cancellationToken);
        if (similarNames.Any(n => string.Equals(n, trimmedName, StringComparison.OrdinalIgnoreCase)))
        {
            throw new HeronRuleException($"An organization named '{trimmedName}' already exists.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organization = new Organization
        {
            HeronId = HeronId.New(HeronId.OrganizationPrefix),
            Name = trimmedName,
            Slug = await UniqueSlugAsync(trimmedName, cancellationToken),
            CreatedAt = Now(),
        };
        var development = NewRealm(organization, RealmKind.Development);
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(cancellationToken);
        var user = await invitations.InviteAsync(development, address, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The invitation was signalled before the commit, when the sender could not see it yet.
        outbox.Notify();
        return new Onboarding(organization, development, user);
    }

    /// <summary>Provisions the organization's production realm: its own logins and keys, nothing shared with development.</summary>
    public async Task<Realm> GrantProductionAsync(string slug, CancellationToken cancellationToken)
    {
        var organization = await FindOrganizationAsync(slug, cancellationToken);
        if (organization.Realms.Any(r => r.Kind == RealmKind.Production))
        {
            throw new HeronRuleException($"Organization '{organization.Slug}' already has production credentials.");
        }
        if (organization.Slug == HeronSlug && organization.Realms.Any(r => r.Kind == RealmKind.Internal))
        {
            throw new HeronRuleException("Heron's own organization has no production realm.");
        }
        var production = NewRealm(organization, RealmKind.Production);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on (organization, kind): another operator or instance granted it meanwhile.
            // PostgreSQL lets both transactions read "no production realm" and refuses the second insert.
            throw new HeronRuleException($"Organization '{organization.Slug}' already has production credentials.");
        }
        return production;
    }

    /// <summary>Whether any organization exists yet: an empty database is a first run.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken) => db.Organizations.AnyAsync(cancellationToken);

    /// <summary>Customer organizations (never Heron's own) whose name or slug contains <paramref name="query"/>, by name.</summary>
    public async Task<List<Organization>> SearchAsync(string? query, int limit, CancellationToken cancellationToken)
    {
        var organizations = db.Organizations.AsNoTracking().Include(o => o.Realms).Where(o => o.Slug != HeronSlug);
        if (!string.IsNullOrEmpty(query))
        {
            var lowered = query.ToLowerInvariant();
            organizations = organizations.Where(o => o.Name.ToLower().Contains(lowered) || o.Slug.Contains(lowered));
        }
        return await organizations.OrderBy(o => o.Name).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>A customer organization with its realms, or null (Heron's own is not a customer).</summary>
    public Task<Organization?> FindCustomerAsync(string slug, CancellationToken cancellationToken) =>
        db.Organizations.AsNoTracking().Include(o => o.Realms)
            .SingleOrDefaultAsync(o => o.Slug == slug && o.Slug != HeronSlug, cancellationToken);

    public async Task<Realm> FindRealmAsync(string slug, RealmKind kind, CancellationToken cancellationToken)
    {
        var organization = await FindOrganizationAsync(slug, cancellationToken);
        return organization.Realms.SingleOrDefault(r => r.Kind == kind)
            ?? throw new HeronRuleException(kind == RealmKind.Production
                ? $"Organization '{organization.Slug}' has no production credentials yet; grant production first."
                : $"Organization '{organization.Slug}' has no {kind.ToString().ToLowerInvariant()} realm.");
    }

    /// <summary>Creates a Heron operator: an account of the internal realm.</summary>
    public async Task<HeronUser> CreateOperatorAsync(string email, string password, CancellationToken cancellationToken)
    {
        var address = EmailAddress.Normalize(email) ?? throw new HeronRuleException($"'{email}' is not an email address.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var heron = await db.Organizations.Include(o => o.Realms).SingleOrDefaultAsync(o => o.Slug == HeronSlug, cancellationToken);
        if (heron is null)
        {
            heron = new Organization { HeronId = HeronId.New(HeronId.OrganizationPrefix), Name = "Heron", Slug = HeronSlug, CreatedAt = Now() };
            db.Organizations.Add(heron);
        }
        var internalRealm = heron.Realms.SingleOrDefault(r => r.Kind == RealmKind.Internal) ?? NewRealm(heron, RealmKind.Internal);
        await db.SaveChangesAsync(cancellationToken);
        var user = await accounts.CreateAccountAsync(internalRealm, address, password);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    private async Task<Organization> FindOrganizationAsync(string slug, CancellationToken cancellationToken)
    {
        var wanted = slug.Trim().ToLowerInvariant();
        return await db.Organizations.Include(o => o.Realms).SingleOrDefaultAsync(o => o.Slug == wanted, cancellationToken)
            ?? throw new HeronRuleException($"No organization has the slug '{slug}'.");
    }

    private Realm NewRealm(Organization organization, RealmKind kind)
    {
        var realm = new Realm { HeronId = HeronId.New(HeronId.RealmPrefix), Organization = organization, Kind = kind, CreatedAt = Now() };
        organization.Realms.Add(realm);
        return realm;
    }

    private async Task<string> UniqueSlugAsync(string name, CancellationToken cancellationToken)
    {
        var stem = OrganizationSlug.From(name);
        var taken = await db.Organizations.Where(o => o.Slug == stem || o.Slug.StartsWith(stem + "-"))
            .Select(o => o.Slug).ToListAsync(cancellationToken);
        var slug = stem;
        for (var n = 2; taken.Contains(slug) || slug == HeronSlug; n++)
        {
            slug = $"{stem}-{n}";
        }
        return slug;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}

public static class OrganizationsExtensions
{
    public static IHostApplicationBuilder AddOrganizations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<OrganizationService>();
        return builder;
    }
}
