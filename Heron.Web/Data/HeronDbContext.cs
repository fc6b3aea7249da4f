using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Email;
using Heron.Web.Production;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Heron.Web.Data;

/// <summary>
/// Heron's model. The provider-specific subclasses (<see cref="SqliteHeronDbContext"/>,
/// <see cref="SqlServerHeronDbContext"/>, <see cref="PostgresHeronDbContext"/>) exist only so each provider keeps its own migration set.
/// </summary>
public abstract class HeronDbContext(DbContextOptions options)
    : IdentityDbContext<HeronUser>(options), IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Realm> Realms => Set<Realm>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiKeyEvent> ApiKeyEvents => Set<ApiKeyEvent>();
    public DbSet<ApiKeyUsageBucket> ApiKeyUsageBuckets => Set<ApiKeyUsageBucket>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<KnownBrowser> KnownBrowsers => Set<KnownBrowser>();
    public DbSet<PasswordResetRequest> PasswordResetRequests => Set<PasswordResetRequest>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ProductionAccessRequest> ProductionAccessRequests => Set<ProductionAccessRequest>();
    public DbSet<DashboardSession> DashboardSessions => Set<DashboardSession>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite forgets DateTime.Kind, so restore it on the way out. PostgreSQL
        // stores them as timestamp with time zone, which Npgsql only accepts for UTC values.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Organization>(e =>
        {
            e.Property(o => o.HeronId).HasMaxLength(32);
            e.HasIndex(o => o.HeronId).IsUnique();
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Slug).HasMaxLength(64);
            e.HasIndex(o => o.Slug).IsUnique();
        });

        builder.Entity<Realm>(e =>
        {
            e.Property(r => r.HeronId).HasMaxLength(32);
            e.HasIndex(r => r.HeronId).IsUnique();
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(r => new { r.OrganizationId, r.Kind }).IsUnique();
            e.HasOne(r => r.Organization).WithMany(o => o.Realms).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<HeronUser>(e =>
        {
            e.HasOne(u => u.Realm).WithMany().OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(u => new { u.RealmId, u.NormalizedEmail }).IsUnique();
        });

        builder.Entity<ApiKey>(e =>
        {
            e.Property(k => k.HeronId).HasMaxLength(32);
            e.HasIndex(k => k.HeronId).IsUnique();
            // 128 code points may take up to 256 UTF-16 units.
            e.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength * 2);
            e.Property(k => k.TokenPrefix).HasMaxLength(ApiKeyToken.PrefixLength).IsFixedLength();
            e.Property(k => k.TokenHash).HasMaxLength(32).IsFixedLength();
            e.HasIndex(k => k.TokenHash).IsUnique();
            e.Property(k => k.CreatedBy).HasMaxLength(320);
            e.HasIndex(k => new { k.RealmId, k.CreatedAt });
            // The expiry notifier's scan: keys that expire, soonest first.
            e.HasIndex(k => k.ExpiresAt);
            e.HasOne(k => k.Realm).WithMany().OnDelete(DeleteBehavior.Restrict);
            e.Property(k => k.Scopes).HasMaxLength(200);
            e.Property(k => k.AllowedIps).HasMaxLength(IpAllowlist.MaxEntries * 50);
        });

        builder.Entity<ApiKeyUsageBucket>(e =>
        {
            // One row per key and minute: instances add their counts to it, so the key is the upsert's target.
            e.HasKey(b => new { b.ApiKeyId, b.Start });
            e.HasIndex(b => b.Start);
            e.HasOne<ApiKey>().WithMany().HasForeignKey(b => b.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ApiKeyEvent>(e =>
        {
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.ActorKind).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.ActorName).HasMaxLength(320);
            e.Property(a => a.ClientIp).HasMaxLength(64);
            e.HasIndex(a => new { a.RealmId, a.OccurredAt });
            e.HasIndex(a => a.ApiKeyId);
            e.HasOne(a => a.ApiKey).WithMany().OnDelete(DeleteBehavior.Restrict);
        });

        ConfigureDashboard(builder);
    }

    private void ConfigureDashboard(ModelBuilder builder)
    {
        builder.Entity<OutboxMessage>(e =>
        {
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(m => m.ToAddress).HasMaxLength(320);
            e.Property(m => m.UserId).HasMaxLength(450);
            e.Property(m => m.LastError).HasMaxLength(1000);
            e.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
        });
        builder.Entity<KnownBrowser>(e =>
        {
            e.Property(b => b.UserId).HasMaxLength(450);
            e.Property(b => b.BrowserHash).HasMaxLength(32).IsFixedLength();
            e.HasIndex(b => new { b.UserId, b.BrowserHash }).IsUnique();
        });
        builder.Entity<AuditEvent>(e =>
        {
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(a => a.ActorKind).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.ActorName).HasMaxLength(320);
            e.Property(a => a.ClientIp).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(500);
            e.HasIndex(a => new { a.RealmId, a.OccurredAt });
        });
        builder.Entity<ProductionAccessRequest>(e =>
        {
            e.Property(r => r.RequestedByUserId).HasMaxLength(450);
            e.Property(r => r.RequestedByEmail).HasMaxLength(320);
            e.Property(r => r.Note).HasMaxLength(ProductionAccessRequest.NoteMaxLength);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.DecidedBy).HasMaxLength(320);
            e.Property(r => r.RejectionReason).HasMaxLength(ProductionAccessRequest.NoteMaxLength);
            e.HasIndex(r => new { r.Status, r.RequestedAt });
            // One open request per organization, whatever races to create a second.
            e.HasIndex(r => r.OrganizationId).IsUnique()
                .HasFilter(Database.IsSqlServer() ? "[Status] = N'Pending'" : "\"Status\" = 'Pending'")
                .HasDatabaseName("IX_ProductionAccessRequests_OrganizationId_Pending");
            e.HasOne(r => r.Organization).WithMany().OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<DashboardSession>(e =>
        {
            e.Property(d => d.KeyHash).HasMaxLength(32).IsFixedLength();
            e.HasIndex(d => d.KeyHash).IsUnique();
            e.Property(d => d.StampHash).HasMaxLength(32).IsFixedLength();
            e.Property(d => d.ClientIp).HasMaxLength(64);
            e.Property(d => d.Browser).HasMaxLength(DashboardSession.BrowserMaxLength);
            e.HasIndex(d => d.UserId);
            e.HasIndex(d => d.ExpiresAt);
            e.HasOne(d => d.User).WithMany().OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PasswordResetRequest>(e =>
        {
            e.Property(r => r.EmailHash).HasMaxLength(32).IsFixedLength();
            e.Property(r => r.ClientIp).HasMaxLength(64);
            e.HasIndex(r => new { r.EmailHash, r.RequestedAt });
            e.HasIndex(r => new { r.ClientIp, r.RequestedAt });
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class SqliteHeronDbContext(DbContextOptions<SqliteHeronDbContext> options) : HeronDbContext(options);

public sealed class SqlServerHeronDbContext(DbContextOptions<SqlServerHeronDbContext> options) : HeronDbContext(options);

public sealed class PostgresHeronDbContext(DbContextOptions<PostgresHeronDbContext> options) : HeronDbContext(options);
