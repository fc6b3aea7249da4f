using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Api;

public static class EnvironmentsEndpoints
{
    public static RouteGroupBuilder MapEnvironments(this RouteGroupBuilder api)
    {
        api.MapGet("/auth/environments", async (ApiCaller caller, HeronDbContext db, CancellationToken ct) =>
            {
                var organization = await db.Organizations.AsNoTracking()
                    .Include(o => o.Realms.Where(r => r.Kind != RealmKind.Internal).OrderBy(r => r.Kind))
                    .SingleAsync(o => o.Id == caller.OrganizationId, ct);
                var environments = organization.Realms
                    .Select(r => new EnvironmentEntry(r.Kind.ToString(), r.Kind.Environment(), r.Kind.Username(organization.Slug)))
                    .ToList();
                return new EnvironmentsResponse(
                    caller.RealmKind.Username(organization.Slug),
                    [new OrganizationEnvironments(organization.Name, organization.Slug, environments)]);
            })
            .RequireScope(ApiScopes.CredentialsRead)
            .WithTags("Auth")
            .WithName("ListEnvironments")
            .WithSummary("The organizations and environments available to the caller")
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized);
        return api;
    }
}
