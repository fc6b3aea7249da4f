using System.Net;
using System.Text.Json;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// Settings → API Credentials with key controls: the create form's expiry, access and allowed addresses, the
/// list's facts and sparkline, Roll…, and the per-key page with its charts and tables.
/// </summary>
public sealed class KeyControlsDashboardTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";
    private const string Page = "/dev/settings/api-credentials";

    [Fact]
    public async Task Every_new_control_has_a_label_tied_to_it()
    {
        var dashboard = await SignedInAsync();
        var page = await dashboard.Http.GetStringAsync(Page);
        foreach (var id in new[] { "key-name", "key-expiry", "key-expiry-date", "key-access", "key-allowed-ips", "roll-grace" })
        {
            Assert.Contains($"<label for=\"{id}\">", page);
            Assert.Contains($"id=\"{id}\"", page);
        }
    }

    [Fact]
    public async Task A_key_created_with_controls_is_listed_with_its_limits()
    {
        var dashboard = await SignedInAsync();
        using var response = await CreateAsync(dashboard, new()
        {
            ["Name"] = "reader", ["Expiry"] = "7", ["Access"] = "read", ["AllowedIps"] = "127.0.0.1\r\n10.0.0.0/8\r\n",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("token");

        var page = WebUtility.HtmlDecode(await dashboard.Http.GetStringAsync(Page));
        Assert.Contains("<span class=\"badge limit\">expires in 7 days</span>", page);
        Assert.Contains("<span class=\"badge limit\">read-only</span>", page);
        Assert.Contains("<span class=\"badge limit\">2 addresses</span>", page);
        Assert.Contains("class=\"sparkline\"", page);

        using var api = factory.KeysApi(token);
        var listed = (await api.ListAsync()).Single(k => k.Str("name") == "reader");
        Assert.Equal(["credentials:read"], listed.Strings("scopes"));
        Assert.Equal(["127.0.0.1", "10.0.0.0/8"], listed.Strings("allowed_ips"));
    }

    [Theory]
    [InlineData("AllowedIps", "nope", "“nope” is not an IPv4 or IPv6 address or CIDR range (for example 203.0.113.0/24 or 2001:db8::/32).")]
    [InlineData("AllowedIps", "10.0.0.1/24", "“10.0.0.1/24” has bits set beyond its prefix length; did you mean 10.0.0.0/24?")]
    [InlineData("ExpiryDate", "", "Choose the date the key expires.")]
    [InlineData("ExpiryDate", "2020-01-01", "Choose a date from today on.")]
    [InlineData("Access", "admin", "Choose full or read-only access.")]
    public async Task Bad_input_names_the_field_and_creates_nothing(string field, string value, string message)
    {
        var dashboard = await SignedInAsync();
        var fields = new Dictionary<string, string> { ["Name"] = "bad", ["Expiry"] = field == "ExpiryDate" ? "date" : "never", [field] = value };

        using var response = await CreateAsync(dashboard, fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(message, body.GetProperty("fields").Str(field));
        Assert.DoesNotContain("<a href=\"/dev/settings/api-key/", await dashboard.Http.GetStringAsync(Page));
    }

    [Fact]
    public async Task Roll_gives_a_new_token_and_the_old_row_says_when_it_stops_working()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var oldToken = await factory.IssueKeyAsync(slug, RealmKind.Development, "rolled");
        var oldId = await factory.HeronIdOfAsync(oldToken);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        using var response = await dashboard.PostFormAsync(Page, Page + "?handler=Roll",
            new() { ["heronId"] = oldId, ["GracePeriodSeconds"] = "86400" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var newToken = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Str("token");
        Assert.NotEqual(oldToken, newToken);
        var page = WebUtility.HtmlDecode(await dashboard.Http.GetStringAsync(Page));
        Assert.Contains("expires in 24 hours", page);
        Assert.Contains("stops working", page);
        foreach (var token in new[] { oldToken, newToken })
        {
            using var client = factory.ClientWithKey(token);
            using var hello = await client.GetAsync("/api/hello_world/authenticated");
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }
    }

    [Fact]
    public async Task The_key_page_draws_its_usage_and_gives_the_same_numbers_as_a_table()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var token = await factory.IssueKeyAsync(slug, RealmKind.Development, "charted");
        using (var client = factory.ClientWithKey(token))
        {
            for (var i = 0; i < 4; i++)
            {
                using var hello = await client.GetAsync("/api/hello_world/authenticated");
                Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
            }
        }
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var page = WebUtility.HtmlDecode(await dashboard.Http.GetStringAsync($"/dev/settings/api-key/{await factory.HeronIdOfAsync(token)}"));

        Assert.Contains("<svg id=\"last-hour-chart\"", page);
        Assert.Contains("<svg id=\"last-week-chart\"", page);
        Assert.Contains("Last hour, per minute: 4 accepted, 0 rejected", page);
        Assert.Contains("<tfoot><tr><th scope=\"row\">Total</th><td>4</td><td>0</td></tr></tfoot>", page);
        Assert.DoesNotContain(token, page);

        var (_, otherToken) = await factory.OnboardWithKeyAsync();
        using var foreign = await dashboard.Http.GetAsync($"/dev/settings/api-key/{await factory.HeronIdOfAsync(otherToken)}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    private async Task<DashboardClient> SignedInAsync()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);
        return dashboard;
    }

    private static Task<HttpResponseMessage> CreateAsync(DashboardClient dashboard, Dictionary<string, string> fields) =>
        dashboard.PostFormAsync(Page, Page + "?handler=Create", fields);
}
