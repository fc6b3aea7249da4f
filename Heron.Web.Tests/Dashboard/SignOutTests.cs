using System.Net;
using System.Text.RegularExpressions;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Dashboard;

/// <summary>The "Sign out" button in the header of every signed-in page, submitted as a browser submits it.</summary>
public sealed partial class SignOutTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";

    [Fact]
    public async Task The_sign_out_button_of_a_dashboard_page_ends_the_session_of_its_realm()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var response = await SubmitHeaderFormAsync(dashboard, "/dev/settings/api-credentials", "/dev/sign-out");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?environment=dev", response.Headers.Location!.ToString());
        var after = await dashboard.Http.GetAsync("/dev/settings/api-credentials");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_sign_out_button_of_the_operators_console_ends_the_operators_session()
    {
        var operatorEmail = await factory.CreateOperatorAsync("an-operator-password");
        var console = factory.Dashboard();
        await console.SignInAsNewOperatorAsync(operatorEmail, "an-operator-password");

        var response = await SubmitHeaderFormAsync(console, "/admin", "/admin/sign-out");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login", response.Headers.Location!.ToString());
        var after = await console.Http.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/admin/login", after.Headers.Location!.ToString());
    }

    /// <summary>Posts the fields of the page's form whose action is <paramref name="action"/>, and only those, as a browser would.</summary>
    private static async Task<HttpResponseMessage> SubmitHeaderFormAsync(DashboardClient client, string page, string action)
    {
        var html = await client.Http.GetStringAsync(page);
        var form = Regex.Match(html, $"<form method=\"post\" action=\"{Regex.Escape(action)}\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success, $"{page} has no form posting to {action}");
        var fields = Input().Matches(form.Groups[1].Value)
            .Select(input => (Name: Attribute(input.Value, "name"), Value: Attribute(input.Value, "value")))
            .Where(field => field.Name is not null)
            .ToDictionary(field => field.Name!, field => WebUtility.HtmlDecode(field.Value ?? ""));
        return await client.Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex Input();
}
