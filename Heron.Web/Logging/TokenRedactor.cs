using System.Buffers;
using System.Text.RegularExpressions;

namespace Heron.Web.Logging;

/// <summary>Keeps anything shaped like a Heron token out of logged text (a token pasted into a URL, say).</summary>
public static partial class TokenRedactor
{
    public static string? Redact(string? text) =>
        text is null || !text.AsSpan().ContainsAny(TokenStart) ? text : TokenPattern().Replace(text, m => m.Value[..8] + "[redacted]");

    // Every string property of every event is checked: a vectorised search, not a culture-free IgnoreCase scan.
    private static readonly SearchValues<string> TokenStart = SearchValues.Create(["key_"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("key_[0-9a-f]{8,}", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();
}
