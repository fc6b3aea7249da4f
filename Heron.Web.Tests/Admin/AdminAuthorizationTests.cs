using System.Net;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Admin;

public sealed class AdminAuthorizationTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "an-operator-password";
    private static readonly string[] AdminPages = ["/admin", "/admin/production-requests", "/admin/organizations/new"];

    [Fact]
    public async Task Anonymous_visitors_get_the_operator_sign_in_page_never_the_content()
    {
        var client = factory.Dashboard();
        foreach (var page in AdminPages)
        {
            var response = await client.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/login?returnUrl=", response.Headers.Location!.ToString());
        }
    }

    [Theory]
    [InlineData(RealmKind.Development, "dev")]
    [InlineData(RealmKind.Production, "prod")]
    public async Task Customer_sessions_get_the_operator_sign_in_page_never_the_content(RealmKind kind, string environment)
    {
        var (slug, email) = await factory.AccountAsync(Password);
        if (kind == RealmKind.Production)
        {
            await factory.GrantProductionAsync(slug);
            await factory.AccountAsync(Password, RealmKind.Production, slug, email);
        }
        var client = factory.Dashboard();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, Password, environment)).StatusCode);

        foreach (var page in AdminPages.Append($"/admin/organizations/{slug}"))
        {
            var response = await client.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/login", response.Headers.Location!.ToString());
        }
    }

    [Fact]
    public async Task A_customer_password_does_not_sign_in_to_the_operators_console()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var client = factory.Dashboard();

        var response = await client.SignInAsOperatorAsync(email, Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong email or password", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task Operators_see_the_console_and_organizations_but_not_customer_dashboards()
    {
        var operatorEmail = await factory.CreateOperatorAsync(Password);
        var slug = await factory.OnboardAsync();
        var client = factory.Dashboard();

        await client.SignInAsNewOperatorAsync(operatorEmail, Password);

        var index = await client.Http.GetStringAsync($"/admin?q={slug}");
        Assert.Contains($"/admin/organizations/{slug}", index);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync($"/admin/organizations/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/admin/organizations/no-such-organization")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
    }
}
