using Heron.Web.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>Identity's own hasher, counting every password it checks: evidence of what a sign-in did, without timing.</summary>
public sealed class CountingPasswordHasher : IPasswordHasher<HeronUser>
{
    private readonly PasswordHasher<HeronUser> _inner = new();
    private int _verified;

    public int Verified => Volatile.Read(ref _verified);

    public string HashPassword(HeronUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(HeronUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _verified);
        return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

/// <summary>The mailing app with a <see cref="CountingPasswordHasher"/> in place of Identity's.</summary>
public class HashCountingHeronFactory : MailingHeronFactory
{
    public CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<HeronUser>>(Hasher));
    }
}
