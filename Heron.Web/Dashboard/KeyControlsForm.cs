using System.Globalization;
using Heron.Web.ApiKeys;

namespace Heron.Web.Dashboard;

/// <summary>
/// The create form's expiry, access and allowed-addresses fields, read into <see cref="KeyControls"/> with
/// the same rules as the API; each problem is keyed by the form field it belongs to.
/// </summary>
public static class KeyControlsForm
{
    public static readonly (string Value, string Label)[] ExpiryChoices =
        [("never", "Never"), ("7", "In 7 days"), ("30", "In 30 days"), ("90", "In 90 days"), ("date", "On a date")];

    public static readonly (int Seconds, string Label)[] GraceChoices =
        [(0, "Now"), (3600, "In 1 hour"), (86400, "In 24 hours"), (604800, "In 7 days")];

    public static KeyControls Read(string? expiry, string? expiryDate, string? access, string? allowedIps, DateTime now,
        Dictionary<string, string> errors)
    {
        DateTime? expiresAt = null;
        switch (expiry ?? "never")
        {
            case "never":
                break;
            case "7" or "30" or "90":
                expiresAt = KeyControls.ToTheSecond(now.AddDays(int.Parse(expiry!, CultureInfo.InvariantCulture)));
                break;
            case "date" when DateTime.TryParseExact(expiryDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date):
                // The end of the chosen day, UTC: a key "expiring on" a date works through it.
                expiresAt = DateTime.SpecifyKind(date.Date.AddDays(1).AddSeconds(-1), DateTimeKind.Utc);
                if (expiresAt <= now)
                {
                    errors["ExpiryDate"] = "Choose a date from today on.";
                }
                break;
            case "date":
                errors["ExpiryDate"] = "Choose the date the key expires.";
                break;
            default:
                errors["Expiry"] = "Choose when the key expires.";
                break;
        }
        var scopes = access switch
        {
            null or "full" => ApiScopeSet.All,
            "read" => ApiScopeSet.CredentialsRead,
            _ => ApiScopeSet.None,
        };
        if (scopes == ApiScopeSet.None)
        {
            errors["Access"] = "Choose full or read-only access.";
        }
        var lines = (allowedIps ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (IpAllowlist.TryParse(lines, out var allowlist) is { } problem)
        {
            errors["AllowedIps"] = problem;
        }
        return new KeyControls(expiresAt, scopes, allowlist);
    }

    /// <summary>What the keys list says of a key's controls: "expires in 3 days", "expired", "read-only", "2 addresses".</summary>
    public static IEnumerable<string> Facts(ApiKey key, DateTime now)
    {
        if (key.ExpiresAt is { } at)
        {
            yield return at <= now ? "expired" : $"expires {Relative.Until(at, now)}";
        }
        if (ApiScopes.FromStored(key.Scopes) == ApiScopeSet.CredentialsRead)
        {
            yield return "read-only";
        }
        else if (key.Scopes is not null)
        {
            yield return string.Join(", ", ApiScopes.Names(ApiScopes.FromStored(key.Scopes)));
        }
        var addresses = IpAllowlist.FromStored(key.AllowedIps).Entries.Count;
        if (addresses > 0)
        {
            yield return addresses == 1 ? "1 address" : $"{addresses} addresses";
        }
    }
}
