using System.Text;

namespace Heron.Web.ApiKeys;

/// <summary>The one place API key names are checked, for the API, the dashboard and the CLI alike.</summary>
public static class ApiKeyName
{
    /// <summary>
    /// Trims surrounding white space and checks the rest: 1..128 code points, no control characters
    /// and no bidirectional overrides (which could make a name display as another).
    /// Returns the problem in words a person can act on, or null when the name is good.
    /// </summary>
    public static string? Validate(string? raw, out string name)
    {
        name = raw?.Trim() ?? "";
        var length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || IsBidiControl(rune.Value))
            {
                return "Must not contain control characters.";
            }
            length++;
        }
        return length is 0 or > ApiKey.NameMaxLength ? $"Length must be between 1 and {ApiKey.NameMaxLength}." : null;
    }

    private static bool IsBidiControl(int codePoint) =>
        codePoint is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0x061C;
}
