using Heron.Web.Organizations;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>The app delivering its mail over SMTP to a real server on loopback, with quick retries.</summary>
public class MailingHeronFactory : HeronFactory, IAsyncLifetime
{
    public const string BaseUrl = "https://heron.example";

    public MailingHeronFactory()
    {
        SendMailTo(Smtp);
        Settings["Heron:BaseUrl"] = BaseUrl;
    }

    public SmtpTestServer Smtp { get; } = new();

    public Task InitializeAsync()
    {
        Smtp.Start();
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Smtp.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>An account with a password (see <see cref="HeronAppFactory.AccountAsync"/>); returns (slug, email), as these tests read it.</summary>
    public new async Task<(string Slug, string Email)> AccountAsync(string password, RealmKind kind = RealmKind.Development, string? slug = null, string? email = null)
    {
        var account = await base.AccountAsync(password, kind, slug, email);
        return (account.Slug, account.Email);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    public DashboardClient Dashboard()
    {
        StartServer();
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() };
        return new(new HttpClient(handler) { BaseAddress = ClientOptions.BaseAddress });
    }
}
