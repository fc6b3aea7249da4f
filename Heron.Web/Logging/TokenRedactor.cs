using System.Text.RegularExpressions;

namespace Heron.Web.Logging;

/// <summary>Keeps anything shaped like a Heron token out of logged text (a token pasted into a URL, say).</summary>
public static partial class TokenRedactor
{
    public static string? Redact(string? text) =>
        text is null || !text.Contains("key_", StringComparison.OrdinalIgnoreCase) ? text : TokenPattern().Replace(text, m => m.Value[..8] + "[redacted]");

    [GeneratedRegex("key_[0-9a-f]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();
}
