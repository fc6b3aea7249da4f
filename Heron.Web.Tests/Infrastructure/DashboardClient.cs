using System.Net;
using System.Text.RegularExpressions;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>Drives the dashboard's forms over HTTP the way a browser posts them, antiforgery token included.</summary>
public sealed partial class DashboardClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string environment = "dev") =>
        await PostFormAsync("/account/login", "/account/login", new()
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.Environment"] = environment,
        });

    /// <summary>Loads <paramref name="formPage"/> for its antiforgery token, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        var page = await Http.GetAsync(formPage);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"{formPage} has no antiforgery token");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        return await Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
