using System.Security.Claims;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;

namespace Heron.Web.Accounts;

/// <summary>
/// A signed-in dashboard session. It is bound to one realm for its whole life: the realm comes from
/// the session cookie, and every query the dashboard makes is scoped to it.
/// </summary>
public sealed record RealmSession(
    string UserId, string Email, int RealmId, RealmKind RealmKind, int OrganizationId, string OrganizationSlug, string OrganizationName)
{
    public string Environment => RealmKind.Environment();

    public Actor ToActor(HttpContext context) =>
        new(RealmKind == RealmKind.Internal ? ActorKind.Operator : ActorKind.User, Email, ClientAddress.Of(context));

    internal const string RealmClaim = "heron:realm";
    internal const string RealmKindClaim = "heron:realm_kind";
    internal const string OrganizationClaim = "heron:organization";
    internal const string OrganizationSlugClaim = "heron:organization_slug";
    internal const string OrganizationNameClaim = "heron:organization_name";
    internal const string SessionClaim = "heron:session";
    internal static readonly string SecurityStampClaim = new ClaimsIdentityOptions().SecurityStampClaimType;

    /// <summary>The <see cref="DashboardSession"/> this request belongs to ("this browser" on the Security page).</summary>
    public static long? SessionIdOf(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst(SessionClaim)?.Value, out var id) ? id : null;

    public static RealmSession? From(ClaimsPrincipal principal)
    {
        string? Find(string type) => principal.FindFirst(type)?.Value;
        return Find(ClaimTypes.NameIdentifier) is { } userId
               && int.TryParse(Find(RealmClaim), out var realmId)
               && Enum.TryParse<RealmKind>(Find(RealmKindClaim), out var kind)
               && int.TryParse(Find(OrganizationClaim), out var organizationId)
            ? new RealmSession(userId, Find(ClaimTypes.Email) ?? "", realmId, kind, organizationId,
                Find(OrganizationSlugClaim) ?? "", Find(OrganizationNameClaim) ?? "")
            : null;
    }

    public static ClaimsPrincipal Principal(HeronUser user, Realm realm, string scheme, string securityStamp, long? sessionId = null) =>
        new(new ClaimsIdentity(
        [
            .. sessionId is { } id ? [new Claim(SessionClaim, id.ToString())] : Array.Empty<Claim>(),
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Email, user.Email ?? ""),
            new Claim(RealmClaim, realm.Id.ToString()),
            new Claim(RealmKindClaim, realm.Kind.ToString()),
            new Claim(OrganizationClaim, realm.OrganizationId.ToString()),
            new Claim(OrganizationSlugClaim, realm.Organization.Slug),
            new Claim(OrganizationNameClaim, realm.Organization.Name),
            new Claim(SecurityStampClaim, securityStamp),
        ], scheme));
}

/// <summary>One cookie per kind of realm, so a browser may hold a development and a production session side by side.</summary>
public static class RealmSchemes
{
    public static string For(RealmKind kind) => "Heron." + kind.Environment();

    public static readonly RealmKind[] All = [RealmKind.Development, RealmKind.Production, RealmKind.Internal];

    public static string CookieName(RealmKind kind) => ".heron.session." + kind.Environment();
}
