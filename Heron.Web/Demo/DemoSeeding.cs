using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Organizations;
using Heron.Web.Site;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Heron.Web.Demo;

public static class DemoSeeding
{
    public const string DemoUser = "demo@heron.local";
    public const string DemoOperator = "ops@heron.local";

    /// <summary>
    /// In Development, an empty database gets a demo operator and a demo organization, and the console
    /// says how to sign in, so a newcomer is in the dashboard within a minute of cloning.
    /// </summary>
    public static async Task SeedDemoAsync(this WebApplication app)
    {
        var password = app.Configuration["Heron:Demo:Password"];
        if (!app.Environment.IsDevelopment() || string.IsNullOrEmpty(password))
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var organizations = scope.ServiceProvider.GetRequiredService<OrganizationService>();
        if (await organizations.AnyAsync(default))
        {
            return;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HeronUser>>();
        await organizations.CreateOperatorAsync(DemoOperator, password, default);
        var demo = await organizations.OnboardAsync("Demo", DemoUser, Actor.Cli(), default);
        var added = await users.AddPasswordAsync(demo.FirstUser, password);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException(
                $"Heron:Demo:Password is refused by the password policy: {string.Join(" ", added.Errors.Select(e => e.Description))}");
        }

        var loginUrl = app.Services.GetRequiredService<IOptions<HeronOptions>>().Value.Url("/account/login");
        app.Logger.LogInformation(
            """
            First run: seeded a demo organization and operator.
              Sign in at {LoginUrl} as {DemoUser} (Development).
              The password is Heron:Demo:Password in Heron.Web/appsettings.Development.json.
              Operator account: {DemoOperator}, same password.
            """, loginUrl, DemoUser, DemoOperator);
    }
}
