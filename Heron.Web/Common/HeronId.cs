using System.Security.Cryptography;

namespace Heron.Web.Common;

/// <summary>
/// Heron's public identifiers: a short type prefix, an underscore and 22 base-62 characters
/// (about 131 random bits), e.g. <c>org_3VTv4ULZRwijE3Yena9QxY</c>.
/// </summary>
public static class HeronId
{
    public const int RandomLength = 22;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public const string OrganizationPrefix = "org";
    public const string RealmPrefix = "rlm";
    public const string ApiKeyPrefix = "apk";

    public static string New(string typePrefix) =>
        typePrefix + "_" + RandomNumberGenerator.GetString(Alphabet, RandomLength);
}
