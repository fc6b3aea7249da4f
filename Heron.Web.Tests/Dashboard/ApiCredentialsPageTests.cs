using System.Net;
using System.Text.RegularExpressions;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Dashboard;

public sealed partial class ApiCredentialsPageTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";

    [Fact]
    public async Task The_list_shows_each_keys_name_prefix_environment_creator_last_use_and_status_but_never_its_token()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var token = await factory.IssueKeyAsync(slug, RealmKind.Development, "CI pipeline");
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var page = WebUtility.HtmlDecode(await dashboard.Http.GetStringAsync("/dev/settings/api-credentials"));

        var nameCell = page[page.IndexOf("<td class=\"name\">", StringComparison.Ordinal)..][..160];
        Assert.Matches("^<td class=\"name\"><a href=\"/dev/settings/api-key/[^\"]+\">CI pipeline</a></td>", nameCell);
        Assert.Contains($"<code class=\"prefix\">{token[..8]}…</code>", page);
        Assert.Contains("<td class=\"created-by\">CLI on ", page);
        Assert.Contains("<span class=\"muted\">Never</span>", page);
        Assert.Contains("<span class=\"status-active\">Active</span>", page);
        Assert.DoesNotContain(token, page);
        Assert.DoesNotContain(token[..12], page);
    }

    [Fact]
    public async Task Many_keys_are_listed_a_page_at_a_time_newest_first()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        for (var i = 1; i <= 230; i++)
        {
            await factory.IssueKeyAsync(slug, RealmKind.Development, $"key {i:000}");
        }
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var first = await dashboard.Http.GetStringAsync("/dev/settings/api-credentials");
        var last = await dashboard.Http.GetStringAsync("/dev/settings/api-credentials?p=3");

        Assert.Equal(100, Rows().Matches(first).Count);
        Assert.Equal("key 230", Rows().Match(first).Groups[1].Value);
        Assert.Contains("Keys 1–100 of 230", WebUtility.HtmlDecode(first));
        Assert.Contains("id=\"older-keys\" href=\"?p=2\"", first);
        Assert.Equal(30, Rows().Matches(last).Count);
        Assert.Equal("key 030", Rows().Match(last).Groups[1].Value);
        Assert.DoesNotContain("id=\"older-keys\"", last);
    }

    [GeneratedRegex("<td class=\"name\"><a [^>]*>([^<]+)</a></td>")]
    private static partial Regex Rows();
}
