using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Data;

/// <summary>The Data Protection keys in the database are encrypted with a certificate, and survive its rotation.</summary>
public sealed class KeyRingEncryptionTests : IAsyncLifetime
{
    private const string Password = "a-long-dashboard-password";
    private readonly string _directory = Directory.CreateTempSubdirectory("heron-keyring-").FullName;
    private readonly MailingHeronFactory _factory = new();
    private string _first = "";
    private string _second = "";

    public async Task InitializeAsync()
    {
        _first = WritePfx("first");
        _second = WritePfx("second");
        _factory.Settings["DataProtection:CertificatePath"] = _first;
        _factory.Settings["DataProtection:CertificatePassword"] = "pfx-password";
        await ((IAsyncLifetime)_factory).InitializeAsync();
    }

    [Fact]
    public async Task The_stored_key_ring_holds_no_plain_master_key()
    {
        var (_, email) = await _factory.AccountAsync(Password);
        await new CookieBrowser(_factory).Dashboard.SignInAsync(email, Password);

        var keys = await _factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.DoesNotContain("<masterKey", xml);
            Assert.DoesNotContain("<value>", xml);
            Assert.Contains("<encryptedSecret", xml);
            Assert.Contains("EncryptedData", xml);
        });
    }

    [Fact]
    public async Task A_session_survives_rotation_to_a_new_certificate_with_the_old_one_listed_as_previous()
    {
        var (_, email) = await _factory.AccountAsync(Password);
        var browser = new CookieBrowser(_factory);
        await browser.Dashboard.SignInAsync(email, Password);
        var cookie = browser.SessionCookie("dev");

        await using var rotated = _factory.SecondInstance();
        rotated.Settings["DataProtection:CertificatePath"] = _second;
        rotated.Settings["DataProtection:CertificatePassword"] = "pfx-password";
        rotated.Settings["DataProtection:PreviousCertificatePaths:0"] = _first;
        Assert.Equal(HttpStatusCode.OK, (await CookieBrowser.ReplayAsync(rotated, cookie, "/dev/settings/api-credentials")).StatusCode);

        // Without the old certificate the old keys cannot be read, so the same cookie is refused: the list is what kept it.
        await using var forgetful = _factory.SecondInstance();
        forgetful.Settings["DataProtection:CertificatePath"] = _second;
        forgetful.Settings["DataProtection:CertificatePassword"] = "pfx-password";
        var refused = await CookieBrowser.ReplayAsync(forgetful, cookie, "/dev/settings/api-credentials");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
    }

    private string WritePfx(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=heron-test-{name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(_directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        return path;
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_factory).DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
