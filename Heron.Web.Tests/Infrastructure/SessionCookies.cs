using System.Net;
using System.Text.RegularExpressions;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>A browser whose cookies a test can copy, and an attacker replaying a copied session cookie.</summary>
public sealed partial class CookieBrowser
{
    private readonly CookieContainer _cookies = new();

    public CookieBrowser(HeronFactory factory)
    {
        factory.StartServer();
        BaseAddress = factory.ClientOptions.BaseAddress;
        Dashboard = new DashboardClient(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = _cookies })
        {
            BaseAddress = BaseAddress,
        });
    }

    public Uri BaseAddress { get; }
    public DashboardClient Dashboard { get; }
    public HttpClient Http => Dashboard.Http;

    /// <summary>The <c>name=value</c> of this browser's session cookie for a realm (<c>dev</c>, <c>prod</c>, <c>admin</c>).</summary>
    public string SessionCookie(string environment)
    {
        var cookie = _cookies.GetAllCookies().SingleOrDefault(c => c.Name.EndsWith(".heron.session." + environment, StringComparison.Ordinal));
        Assert.True(cookie is not null, $"The browser holds no {environment} session cookie.");
        return $"{cookie.Name}={cookie.Value}";
    }

    /// <summary>GETs <paramref name="path"/> with nothing but a copied cookie, as someone who stole it would.</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(HeronFactory factory, string cookie, string path)
    {
        factory.StartServer();
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = factory.ClientOptions.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    /// <summary>Posts a form of <paramref name="page"/> whose action contains <paramref name="actionPart"/>, with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string actionPart)
    {
        var html = await Http.GetStringAsync(page);
        var form = Regex.Match(html, $"<form method=\"post\"[^>]*? action=\"([^\"]*{Regex.Escape(actionPart)}[^\"]*)\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success, $"{page} has no form posting to …{actionPart}…");
        var token = AntiforgeryToken().Match(form.Groups[2].Value);
        Assert.True(token.Success, $"The form posting to {form.Groups[1].Value} has no antiforgery token.");
        return await Http.PostAsync(WebUtility.HtmlDecode(form.Groups[1].Value), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
