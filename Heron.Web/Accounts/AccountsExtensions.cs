using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Heron.Web.Accounts;

public static class AccountsExtensions
{
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentityCore<HeronUser>(options =>
            {
                // User names are "{realm}/{email}"; the email itself may repeat across realms.
                options.User.AllowedUserNameCharacters = "";
                options.User.RequireUniqueEmail = false;
                // Length over composition rules (NIST SP 800-63B), plus a check against common passwords.
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Tokens.ProviderMap[InvitationTokenProvider.ProviderName] =
                    new TokenProviderDescriptor(typeof(InvitationTokenProvider));
            })
            .AddEntityFrameworkStores<HeronDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>();
        services.AddTransient<InvitationTokenProvider>();
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromHours(1));
        services.AddScoped<AccountService>();
        services.AddScoped<SignInService>();
        services.AddScoped<PasswordService>();
        services.AddScoped<InvitationService>();
        services.AddScoped<KnownBrowserTracker>();
        services.Configure<SessionOptions>(builder.Configuration.GetSection("Sessions"));
        services.AddSingleton<DashboardSessionStore>();
        services.Configure<SignInOptions>(builder.Configuration.GetSection("SignIn"));
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AccountSignInLocks>();
        services.AddScoped<SessionService>();

        // Outside Development session cookies are always Secure. Behind a TLS-terminating proxy name it in
        // ForwardedHeaders:KnownProxies (or KnownNetworks), so the app knows requests arrived over HTTPS.
        var cookieSecurity = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

        // No default scheme: RealmSessionMiddleware picks the realm's cookie from the URL (/dev, /prod, /admin).
        var authentication = services.AddAuthentication();
        foreach (var kind in RealmSchemes.All)
        {
            authentication.AddCookie(RealmSchemes.For(kind), options =>
            {
                // __Host-: the browser then accepts it only Secure, for Path=/ and without a Domain, so no subdomain can plant one.
                options.Cookie.Name = (builder.Environment.IsDevelopment() ? "" : "__Host-") + RealmSchemes.CookieName(kind);
                options.Cookie.Path = "/";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = cookieSecurity;
                // The cookie holds only a session key; lifetimes are kept by DashboardSessionStore on the server.
                options.SlidingExpiration = false;
            });
            services.AddOptions<CookieAuthenticationOptions>(RealmSchemes.For(kind))
                .Configure<DashboardSessionStore>((options, store) => options.SessionStore = store);
        }
        return builder;
    }
}
