using System.Text.RegularExpressions;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using QRCoder;

namespace Heron.Web.TwoFactor;

/// <summary>
/// What an authenticator app needs to be set up: the setup key as text (grouped in fours, for typing)
/// and the otpauth URI, drawn as an SVG QR code on the server so the page needs no script.
/// </summary>
public sealed partial record AuthenticatorSetup(string SetupKey, string Uri, string QrCodeSvg)
{
    public const string Issuer = "Heron";

    public static AuthenticatorSetup For(string sharedKey, HeronUser user, Realm realm)
    {
        var payload = new PayloadGenerator.OneTimePassword
        {
            Secret = sharedKey,
            Issuer = Issuer,
            // The same email may have an account in several realms: the realm's username tells them apart in the app.
            Label = $"{user.Email} ({realm.Username})",
            Type = PayloadGenerator.OneTimePassword.OneTimePasswordAuthType.TOTP,
            AuthAlgorithm = PayloadGenerator.OneTimePassword.OneTimePasswordAuthAlgorithm.SHA1,
            Digits = 6,
            Period = 30,
        };
        var uri = payload.ToString();
        using var data = QRCodeGenerator.GenerateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true,
            sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        return new(Grouped(sharedKey), uri, XmlDeclaration().Replace(svg, ""));
    }

    /// <summary><c>JBSWY3DPEHPK3PXP</c> → <c>jbsw y3dp ehpk 3pxp</c>: authenticator apps take either.</summary>
    public static string Grouped(string sharedKey) =>
        string.Join(' ', sharedKey.ToLowerInvariant().Chunk(4).Select(c => new string(c)));

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();
}
