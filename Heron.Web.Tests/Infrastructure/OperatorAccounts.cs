using Heron.Web.Organizations;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Infrastructure;

public static class OperatorAccounts
{
    /// <summary>Creates an operator (internal realm) the way <c>create-operator</c> does; returns the email.</summary>
    public static Task<string> CreateOperatorAsync(this HeronFactory factory, string password) =>
        factory.WithScopeAsync(async services =>
        {
            var email = $"operator-{Guid.NewGuid():N}@heron.test";
            await services.GetRequiredService<OrganizationService>().CreateOperatorAsync(email, password, default);
            return email;
        });

    public static Task<HttpResponseMessage> SignInAsOperatorAsync(this DashboardClient client, string email, string password) =>
        client.PostFormAsync("/admin/login", "/admin/login", new() { ["Email"] = email, ["Password"] = password });
}
