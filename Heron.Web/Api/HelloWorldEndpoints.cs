using Heron.Web.ApiKeys;
using Heron.Web.Organizations;

namespace Heron.Web.Api;

public static class HelloWorldEndpoints
{
    public static RouteGroupBuilder MapHelloWorld(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/hello_world").WithTags("Testing");

        group.MapGet("", () => new HelloWorld("world"))
            .AllowAnonymous()
            .WithName("HelloWorld")
            .WithSummary("Check that the API is reachable (no key needed)");

        group.MapGet("/authenticated", (ApiCaller caller) =>
                new AuthenticatedHelloWorld("world", caller.OrganizationSlug, caller.RealmKind.Environment()))
            .RequireNoScope()
            .WithName("HelloWorldAuthenticated")
            .WithSummary("Check an API key; tells which organization and environment it belongs to")
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized);
        return api;
    }
}
