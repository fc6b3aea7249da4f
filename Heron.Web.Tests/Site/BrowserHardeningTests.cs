using System.Net;
using System.Text.RegularExpressions;
using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Site;

/// <summary>Every page the app has, found from its own routes, answers with the browser security headers.</summary>
public sealed partial class BrowserHardeningTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";

    [Fact]
    public async Task Every_page_signed_in_or_not_sends_the_security_headers_and_runs_no_inline_script()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var operatorEmail = await factory.CreateOperatorAsync("an-operator-password");
        var browser = new CookieBrowser(factory);
        await browser.Dashboard.SignInAsync(email, Password);
        await browser.Dashboard.SignInAsNewOperatorAsync(operatorEmail, "an-operator-password");
        var pages = PageRoutes().Select(route => "/" + route
            .Replace(Heron.Web.Dashboard.EnvironmentRoutes.Prefix, "dev")
            .Replace("{slug}", slug)).ToList();
        Assert.Contains("/dev/settings/security", pages);
        Assert.Contains("/admin/organizations/" + slug, pages);
        Assert.True(pages.Count >= 15, $"Only {pages.Count} pages found: {string.Join(", ", pages)}");

        foreach (var page in pages)
        {
            var response = await browser.Http.GetAsync(page);
            Assert.True((int)response.StatusCode < 500, $"{page} answered {response.StatusCode} {factory.Log.Events.LastOrDefault(e => e.Exception is not null)?.Exception}");
            AssertHardened(response, page, BrowserHardeningPolicy.Site);
            var signedIn = page.StartsWith("/dev") || page.StartsWith("/admin") || page.StartsWith("/account");
            if (signedIn)
            {
                Assert.True(response.Headers.CacheControl?.NoStore == true, $"{page} may be cached: {response.Headers.CacheControl}");
            }
            var html = await response.Content.ReadAsStringAsync();
            Assert.False(InlineScript().IsMatch(html), $"{page} has an inline script");
            Assert.False(InlineHandler().IsMatch(html), $"{page} has an inline event handler");
        }
    }

    [Fact]
    public async Task Errors_redirects_the_api_and_static_files_send_them_too()
    {
        factory.StartServer();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = factory.ClientOptions.BaseAddress };
        foreach (var path in new[] { "/no-such-page", "/dev/settings/api-credentials", "/api/hello_world", "/health/live", "/css/site.css" })
        {
            AssertHardened(await client.GetAsync(path), path, BrowserHardeningPolicy.Site);
        }
        Assert.True((await client.GetAsync("/api/hello_world")).Headers.CacheControl?.NoStore == true);
    }

    [Fact]
    public async Task The_api_reference_gets_a_policy_that_still_runs_swagger_ui_and_no_inline_script()
    {
        factory.StartServer();
        var client = new HttpClient { BaseAddress = factory.ClientOptions.BaseAddress };
        var index = await client.GetAsync("/docs/api/index.html");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        AssertHardened(index, "/docs/api/index.html", BrowserHardeningPolicy.ApiReference);
        var html = await index.Content.ReadAsStringAsync();
        Assert.False(InlineScript().IsMatch(html), "Swagger UI's page has an inline script");
        foreach (Match script in Regex.Matches(html, "<script src=\"([^\"]+)\""))
        {
            var src = script.Groups[1].Value;
            var file = await client.GetAsync(src.StartsWith('/') ? src : "/docs/api/" + src.TrimStart('.', '/'));
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{src} answered {file.StatusCode}");
        }
    }

    private static void AssertHardened(HttpResponseMessage response, string path, string policy)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{path} has no CSP");
        var value = Assert.Single(csp);
        Assert.Equal(policy, value);
        Assert.DoesNotContain("'unsafe-inline'", Regex.Match(value, "script-src[^;]*").Value);
        Assert.Contains("frame-ancestors 'none'", value);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    private IEnumerable<string> PageRoutes()
    {
        factory.StartServer();
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => e.RoutePattern.RawText!.Trim('/'))
            .Where(route => !route.EndsWith("/index", StringComparison.OrdinalIgnoreCase) || route == "")
            .Distinct()
            .Order();
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<[a-z]+[^>]*\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}

/// <summary>The policies the site promises, written out so a change to them is a visible change to a test.</summary>
public static class BrowserHardeningPolicy
{
    public const string Site =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiReference =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}
