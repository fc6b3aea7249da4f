using System.Net;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// An operator's maximum key lifetime for an organization's production realm: set in the console (audited in
/// that realm), enforced on creation through the API and the dashboard and on roll; development is untouched.
/// </summary>
public sealed class KeyLifetimeLimitTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-production-password";
    private const string OperatorPassword = "an-operator-password";

    [Fact]
    public async Task An_operator_sets_the_limit_in_the_console_and_bad_input_changes_nothing()
    {
        var slug = await factory.OnboardAsync();
        await factory.GrantProductionAsync(slug);
        var console = factory.Dashboard();
        var operatorEmail = await factory.CreateOperatorAsync(OperatorPassword);
        await console.SignInAsNewOperatorAsync(operatorEmail, OperatorPassword);
        var page = $"/admin/organizations/{slug}";
        Assert.Contains("New API keys may live for ever", await console.Http.GetStringAsync(page));
        Assert.Contains("<label for=\"max-key-lifetime\">", await console.Http.GetStringAsync(page));

        foreach (var bad in new[] { "abc", "0", "-5", "3651", "1.5" })
        {
            var refused = await console.PostFormAsync(page, page + "?handler=KeyLifetime", new() { ["days"] = bad });
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("the limit is unchanged", WebUtility.HtmlDecode(await console.Http.GetStringAsync(page)), StringComparison.OrdinalIgnoreCase);
            Assert.Null(await LimitAsync(slug));
        }

        await console.PostFormAsync(page, page + "?handler=KeyLifetime", new() { ["days"] = "30" });
        var details = await console.Http.GetStringAsync(page);
        Assert.Contains("New production keys must now expire within 30 days.", details);
        Assert.Contains("New API keys must expire within 30 days", details);
        Assert.Equal(30, await LimitAsync(slug));
        var audited = await factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.Kind == AuditEventKind.KeyLifetimeLimitSet && e.RealmId == services.GetRequiredService<HeronDbContext>().Realms
                .Where(r => r.Organization.Slug == slug && r.Kind == RealmKind.Production).Select(r => r.Id).Single())
            .ToListAsync());
        var entry = Assert.Single(audited);
        Assert.Equal(ActorKind.Operator, entry.ActorKind);
        Assert.Equal("New keys must expire within 30 days.", entry.Detail);

        await console.PostFormAsync(page, page + "?handler=KeyLifetime", new() { ["days"] = "" });
        Assert.Null(await LimitAsync(slug));
    }

    [Fact]
    public async Task Production_keys_made_through_the_API_must_expire_within_the_limit_and_development_keys_need_not()
    {
        var slug = await factory.OnboardAsync();
        await factory.GrantProductionAsync(slug);
        using var production = factory.KeysApi(await factory.IssueKeyAsync(slug, RealmKind.Production));
        var forever = await production.CreateWithAsync(new { name = "made before the limit" });
        await SetLimitAsync(slug, 30);
        var now = DateTime.UtcNow;

        var defaulted = await production.CreateWithAsync(new { name = "no expiry asked" });
        Assert.InRange(Expiry(defaulted), now.AddDays(30).AddSeconds(-5), now.AddDays(30).AddSeconds(5));
        var within = await production.CreateWithAsync(new { name = "29 days", expires_at = Rfc(now.AddDays(29)) });
        Assert.InRange(Expiry(within), now.AddDays(29).AddSeconds(-1), now.AddDays(29).AddSeconds(1));

        using (var never = await production.PostJsonAsync(KeysApi.Path, new { name = "never", expires_at = (string?)null }))
        {
            await ApiAssert.ValidationErrorAsync(never, "expires_at", "This organization's production keys must expire within 30 days: choose an expiry.");
        }
        using (var tooLong = await production.PostJsonAsync(KeysApi.Path, new { name = "31 days", expires_at = Rfc(now.AddDays(31)) }))
        {
            var description = await ApiAssert.EnvelopeAsync(tooLong, HttpStatusCode.BadRequest, "Bad Request");
            Assert.StartsWith("This organization's production keys must expire within 30 days, by ",
                description.GetProperty("json").GetProperty("expires_at").GetProperty("_schema")[0].GetString());
        }

        // A roll makes a new key: a key made before the limit is replaced by one that keeps it.
        var replacement = await production.RollAsync(forever.Str("heron_id"), graceSeconds: 0);
        Assert.InRange(Expiry(replacement), now.AddDays(30).AddSeconds(-5), now.AddDays(30).AddSeconds(5));

        using var development = factory.KeysApi(await factory.IssueKeyAsync(slug));
        var devKey = await development.CreateWithAsync(new { name = "development, no limit" });
        Assert.Equal(JsonValueKind.Null, devKey.GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task The_production_dashboard_offers_only_expiries_within_the_limit_and_refuses_never()
    {
        var (slug, email) = await factory.AccountAsync("a-long-development-password");
        await factory.GrantProductionAsync(slug);
        await factory.AccountAsync(Password, RealmKind.Production, slug, email);
        await SetLimitAsync(slug, 30);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password, "prod");
        const string page = "/prod/settings/api-credentials";

        var html = WebUtility.HtmlDecode(await dashboard.Http.GetStringAsync(page));
        Assert.Contains("production keys expire within 30 days", html);
        Assert.DoesNotContain("<option value=\"never\">", html);
        Assert.DoesNotContain("<option value=\"90\">", html);
        Assert.Contains("<option value=\"30\">", html);

        using var never = await dashboard.PostFormAsync(page, page + "?handler=Create", new() { ["Name"] = "forever", ["Expiry"] = "never", ["Access"] = "full" });
        Assert.Equal(HttpStatusCode.BadRequest, never.StatusCode);
        var fields = JsonDocument.Parse(await never.Content.ReadAsStringAsync()).RootElement.GetProperty("fields");
        Assert.Equal("This organization's production keys must expire within 30 days: choose an expiry.", fields.GetProperty("Expiry").GetString());

        using var ninety = await dashboard.PostFormAsync(page, page + "?handler=Create", new() { ["Name"] = "ninety", ["Expiry"] = "90", ["Access"] = "full" });
        Assert.Equal(HttpStatusCode.BadRequest, ninety.StatusCode);
        using var thirty = await dashboard.PostFormAsync(page, page + "?handler=Create", new() { ["Name"] = "thirty", ["Expiry"] = "30", ["Access"] = "full" });
        Assert.Equal(HttpStatusCode.OK, thirty.StatusCode);
        Assert.Equal(["thirty"], await KeyNamesAsync(slug));
    }

    private static string Rfc(DateTime at) => Web.ApiKeys.KeyControls.ToTheSecond(at).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static DateTime Expiry(JsonElement key) => DateTime.Parse(key.Str("expires_at")).ToUniversalTime();

    private Task SetLimitAsync(string slug, int? days) =>
        factory.WithScopeAsync(services => services.GetRequiredService<ApiKeyService>().SetMaxLifetimeAsync(slug, days, Actor.Cli(), default));

    private Task<int?> LimitAsync(string slug) =>
        factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().Realms
            .Where(r => r.Organization.Slug == slug && r.Kind == RealmKind.Production).Select(r => r.MaxKeyLifetimeDays).SingleAsync());

    private Task<List<string>> KeyNamesAsync(string slug) =>
        factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeys
            .Where(k => k.Realm.Organization.Slug == slug && k.Realm.Kind == RealmKind.Production).Select(k => k.Name).ToListAsync());
}
