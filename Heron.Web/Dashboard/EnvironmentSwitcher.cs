using Heron.Web.Accounts;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Dashboard;

/// <summary>
/// The environments the signed-in organization has, for the switcher in the layout. Switching only
/// links to the other realm's pages; without a session there, they ask for that realm's password.
/// </summary>
public sealed class EnvironmentSwitcher(HeronDbContext db)
{
    public Task<List<RealmKind>> EnvironmentsAsync(RealmSession session) =>
        db.Realms.Where(r => r.OrganizationId == session.OrganizationId && r.Kind != RealmKind.Internal)
            .OrderBy(r => r.Kind).Select(r => r.Kind).ToListAsync();
}
