using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Heron.Web.Tests;

/// <summary>The app as deployed: the Production environment.</summary>
public sealed class ProductionFactory : MailingHeronFactory
{
    public ProductionFactory() => Settings["DataProtection:AllowUnencrypted"] = "true";

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
        // __Host-: a browser takes it only Secure, Path=/ and without a Domain, so no subdomain can plant or widen it.
        var session = Assert.Single(cookies, c => c.StartsWith("__Host-.heron.session.dev=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/;", session + ";", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", session, StringComparison.OrdinalIgnoreCase);
        Assert.All(cookies, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
    }
}

public sealed class ProductionKeyRingSettingsTests
{
    [Fact]
    public async Task Without_a_key_ring_certificate_production_refuses_to_start_and_says_what_to_set()
    {
        await using var factory = new ProductionFactory();
        factory.Settings.Remove("DataProtection:AllowUnencrypted");

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        Assert.Contains("DataProtection:CertificatePath is not configured", error.GetBaseException().Message);
        Assert.Contains("DataProtection:AllowUnencrypted=true", error.GetBaseException().Message);
    }
}
