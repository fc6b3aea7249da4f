using Heron.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Heron.Web.TwoFactor;

public static class TwoFactorExtensions
{
    /// <summary>
    /// Two-factor sign-in on Identity's authenticator token provider (registered by
    /// <c>AddDefaultTokenProviders</c> in <see cref="AccountsExtensions.AddAccounts"/>, which must come first).
    /// </summary>
    public static IHostApplicationBuilder AddTwoFactor(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // Identity's EF store, with recovery codes hashed.
        services.Replace(ServiceDescriptor.Scoped<IUserStore<HeronUser>, HashedRecoveryCodeStore>());
        services.AddSingleton<PendingSignIn>();
        services.AddScoped<TwoFactorPolicy>();
        services.AddScoped<TwoFactorCodes>();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<SecondFactorSignIn>();
        return builder;
    }
}
