using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Heron.Web.Data;

/// <summary>
/// The Data Protection key ring is stored in the database; without this, a database backup holds the keys
/// that sign every session and reset link in the clear. A certificate (<c>DataProtection:CertificatePath</c>,
/// a PFX) encrypts each key before it is stored. Rotating it: the new certificate encrypts new keys, and
/// <c>DataProtection:PreviousCertificatePaths</c> still decrypts the keys made under the old ones, so sessions survive.
/// </summary>
public static class KeyRingProtection
{
    public static void Configure(IDataProtectionBuilder dataProtection, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("DataProtection");
        var path = section["CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!environment.IsDevelopment() && !section.GetValue<bool>("AllowUnencrypted"))
            {
                throw new InvalidOperationException(
                    "DataProtection:CertificatePath is not configured. Outside Development Heron encrypts its key ring at rest; set " +
                    "DataProtection:CertificatePath and DataProtection:CertificatePassword (a PFX), or set DataProtection:AllowUnencrypted=true on purpose.");
            }
            return;
        }

        var password = section["CertificatePassword"];
        var current = Load(path, password, environment);
        var previousPassword = section["PreviousCertificatePassword"] ?? password;
        var previous = PreviousPaths(section).Select(p => Load(p, previousPassword, environment)).ToArray();
        dataProtection.ProtectKeysWithCertificate(current);
        dataProtection.UnprotectKeysWithAnyCertificate([current, .. previous]);
    }

    /// <summary>A list (<c>PreviousCertificatePaths:0</c>, <c>:1</c>…) or one value separated by semicolons (handy in an environment variable).</summary>
    private static IEnumerable<string> PreviousPaths(IConfigurationSection section)
    {
        var list = section.GetSection("PreviousCertificatePaths");
        var children = list.GetChildren().Select(c => c.Value ?? "").ToList();
        var paths = children.Count > 0 ? children : (list.Value ?? "").Split(';').ToList();
        return paths.Select(p => p.Trim()).Where(p => p.Length > 0);
    }

    private static X509Certificate2 Load(string path, string? password, IHostEnvironment environment)
    {
        var full = Path.GetFullPath(path, environment.ContentRootPath);
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"The Data Protection certificate {full} has no private key; a PFX with its key is needed.");
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"The Data Protection certificate {full} could not be opened (wrong DataProtection:CertificatePassword?): {ex.Message}", ex);
        }
    }
}
