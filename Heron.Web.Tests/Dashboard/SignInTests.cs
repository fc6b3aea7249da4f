using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Dashboard;

public sealed class SignInTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    [Fact]
    public async Task An_email_with_accounts_in_two_organizations_signs_in_to_the_one_its_password_opens_and_never_locks_the_other()
    {
        var email = $"jane-{Guid.NewGuid():N}@example.com";
        var (acme, _) = await factory.AccountAsync("acme-password-of-jane", email: email);
        var (beta, _) = await factory.AccountAsync("beta-password-of-jane", email: email);

        for (var i = 0; i < 6; i++)
        {
            var dashboard = factory.Dashboard();
            Assert.Equal(HttpStatusCode.Redirect, (await dashboard.SignInAsync(email, "beta-password-of-jane")).StatusCode);
            var page = await dashboard.Http.GetStringAsync("/dev/settings/api-credentials");
            Assert.Contains($">Org {beta["org-".Length..]}<", page);
        }

        var acmeAccount = await AccountAsync(acme, email);
        Assert.Equal(0, acmeAccount.AccessFailedCount);
        Assert.Null(acmeAccount.LockoutEnd);
        var acmeSignIn = factory.Dashboard();
        Assert.Equal(HttpStatusCode.Redirect, (await acmeSignIn.SignInAsync(email, "acme-password-of-jane")).StatusCode);
        Assert.Contains($">Org {acme["org-".Length..]}<", await acmeSignIn.Http.GetStringAsync("/dev/settings/api-credentials"));
    }

    [Fact]
    public async Task A_wrong_password_counts_against_every_account_it_was_tried_on()
    {
        var email = $"sam-{Guid.NewGuid():N}@example.com";
        var (acme, _) = await factory.AccountAsync("acme-password-of-sam", email: email);
        var (beta, _) = await factory.AccountAsync("beta-password-of-sam", email: email);

        var response = await factory.Dashboard().SignInAsync(email, "neither-password-here");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await AccountAsync(acme, email)).AccessFailedCount);
        Assert.Equal(1, (await AccountAsync(beta, email)).AccessFailedCount);
    }

    private Task<HeronUser> AccountAsync(string slug, string email) =>
        factory.WithScopeAsync(async s =>
        {
            var realm = await s.GetRequiredService<OrganizationService>().FindRealmAsync(slug, RealmKind.Development, default);
            return await s.GetRequiredService<HeronDbContext>().Users.AsNoTracking()
                .SingleAsync(u => u.UserName == HeronUser.UserNameFor(realm, email));
        });
}
