using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Heron.Web.ApiKeys;

namespace Heron.Web.Api;

/// <summary>
/// Reads the optional <c>expires_at</c>, <c>scopes</c> and <c>allowed_ips</c> fields of a create request.
/// Each problem is added as a field error in the contract's shape; absent fields limit nothing.
/// </summary>
public static partial class KeyControlsBody
{
    public const int MaxScopes = 16;

    public static readonly string[] Fields = ["expires_at", "scopes", "allowed_ips"];

    public static KeyControls Read(JsonElement body, DateTime now, List<KeyValuePair<string, string>> errors)
    {
        var expiresAt = body.TryGetProperty("expires_at", out var expiry) ? ReadExpiry(expiry, now, errors) : null;
        var scopes = body.TryGetProperty("scopes", out var scopeList) ? ReadScopes(scopeList, errors) : ApiScopeSet.All;
        var allowlist = IpAllowlist.Anywhere;
        if (body.TryGetProperty("allowed_ips", out var ipList) && StringList(ipList, "allowed_ips", IpAllowlist.MaxEntries, errors) is { } entries
            && IpAllowlist.TryParse(entries, out allowlist) is { } problem)
        {
            errors.Add(new("allowed_ips", problem));
        }
        return new KeyControls(expiresAt, scopes, allowlist);
    }

    private static DateTime? ReadExpiry(JsonElement value, DateTime now, List<KeyValuePair<string, string>> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String || Text(value) is not { } text || !Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            errors.Add(new("expires_at", "Not a valid RFC 3339 date-time (for example 2026-12-31T23:59:59Z)."));
            return null;
        }
        var expiresAt = KeyControls.ToTheSecond(parsed.UtcDateTime);
        if (expiresAt <= now)
        {
            errors.Add(new("expires_at", "Must be in the future."));
            return null;
        }
        return expiresAt;
    }

    private static ApiScopeSet ReadScopes(JsonElement value, List<KeyValuePair<string, string>> errors)
    {
        if (StringList(value, "scopes", MaxScopes, errors) is not { } names)
        {
            return ApiScopeSet.None;
        }
        if (names.Count == 0)
        {
            errors.Add(new("scopes", "Must name at least one scope; leave the field out for all of them."));
            return ApiScopeSet.None;
        }
        var set = ApiScopeSet.None;
        foreach (var name in names)
        {
            if (ApiScopes.Find(name) is not { } scope)
            {
                errors.Add(new("scopes", $"Unknown scope “{(name.Length > 40 ? name[..40] + "…" : name)}”: the scopes are {string.Join(" and ", ApiScopes.All.Select(s => s.Name))}."));
                continue;
            }
            set |= scope.Flag;
        }
        return set;
    }

    /// <summary>A JSON array of at most <paramref name="max"/> strings, or null with the problem added.</summary>
    private static List<string>? StringList(JsonElement value, string field, int max, List<KeyValuePair<string, string>> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(field, "Not a valid list."));
            return null;
        }
        if (value.GetArrayLength() > max)
        {
            errors.Add(new(field, $"At most {max} entries."));
            return null;
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(field, "Every entry must be a string."));
                return null;
            }
            if (Text(item) is not { } text)
            {
                errors.Add(new(field, "Every entry must be a string."));
                return null;
            }
            items.Add(text);
        }
        return items;
    }

    /// <summary>A JSON string's text; null for lone surrogates, which are not text.</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
