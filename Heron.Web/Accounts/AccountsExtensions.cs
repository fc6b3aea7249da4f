using Heron.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Heron.Web.Accounts;

public static class AccountsExtensions
{
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<HeronUser>(options =>
            {
                // User names are "{realm}/{email}"; the email itself may repeat across realms.
                options.User.AllowedUserNameCharacters = "";
                options.User.RequireUniqueEmail = false;
                // Length over composition rules (NIST SP 800-63B).
                options.Password.RequiredLength = 12;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<HeronDbContext>()
            .AddDefaultTokenProviders();
        return builder;
    }
}
