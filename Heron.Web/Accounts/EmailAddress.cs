using System.Net.Mail;

namespace Heron.Web.Accounts;

public static class EmailAddress
{
    /// <summary>A single plain address (<c>jane@acme.com</c>), trimmed; null when it is not one.</summary>
    public static string? Normalize(string? raw)
    {
        var candidate = raw?.Trim();
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 254 || candidate.Any(char.IsWhiteSpace))
        {
            return null;
        }
        return MailAddress.TryCreate(candidate, out var address) && address.Address == candidate && address.Host.Contains('.')
            ? candidate
            : null;
    }
}
