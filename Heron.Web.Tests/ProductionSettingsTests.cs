using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Heron.Web.Tests;

/// <summary>The app as deployed: the Production environment.</summary>
public sealed class ProductionFactory : MailingHeronFactory
{
    public bool WithoutSmtp { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (WithoutSmtp)
        {
            Settings["Email:Smtp:Host"] = "";
        }
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

public sealed class ProductionSettingsTests
{
    [Fact]
    public async Task Without_an_smtp_host_production_refuses_to_start_and_says_what_to_set()
    {
        await using var factory = new ProductionFactory { WithoutSmtp = true };

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        Assert.Contains("Email:Smtp:Host is not configured", error.GetBaseException().Message);
    }

    [Fact]
    public async Task In_production_session_cookies_are_secure_and_every_cookie_is_http_only()
    {
        await using var factory = new ProductionFactory();
        await ((Xunit.IAsyncLifetime)factory).InitializeAsync();
        var (_, email) = await factory.AccountAsync("a-long-production-password");
        var dashboard = factory.Dashboard();

        var login = await dashboard.Http.GetAsync("/account/login");
        var signIn = await dashboard.SignInAsync(email, "a-long-production-password");

        var cookies = login.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith(".heron.session.dev=", StringComparison.Ordinal));
        Assert.All(cookies.Where(c => c.StartsWith(".heron.session", StringComparison.Ordinal)),
            c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
    }
}
