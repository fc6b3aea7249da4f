namespace Heron.E2E.Infrastructure;

/// <summary>
/// The secrets a test handles (API tokens, passwords, invitation and reset links). Whatever a test writes
/// to its output, and any failure it reports, passes through <see cref="Redact"/> first, so a failed
/// assertion that quotes a page, a URL or an input's value never puts a secret in the test log.
/// </summary>
public sealed class TestSecrets
{
    private readonly List<string> _secrets = [];
    private readonly Lock _lock = new();

    /// <summary>Registers <paramref name="secret"/> and returns it, for <c>var token = Secrets.Add(await …)</c>.</summary>
    public string Add(string secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            lock (_lock)
            {
                _secrets.Add(secret);
                // Links carry their token URL-escaped too.
                _secrets.Add(Uri.EscapeDataString(secret));
            }
        }
        return secret;
    }

    /// <summary>Registers an emailed link and the token it carries (escaped or not); returns the link.</summary>
    public string AddLink(string link)
    {
        Add(link);
        var query = new Uri(link).Query.TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.Split('=', 2) is [var n, var v] ? (n, v) : (pair, "");
            if (name == "token")
            {
                Add(value);
                Add(Uri.UnescapeDataString(value));
            }
        }
        return link;
    }

    public string Redact(string text)
    {
        lock (_lock)
        {
            // Longest first, so a link is redacted whole rather than around the token inside it.
            foreach (var secret in _secrets.Distinct().OrderByDescending(s => s.Length))
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }
        return text;
    }

    public bool AnyIn(string text)
    {
        lock (_lock)
        {
            return _secrets.Any(s => text.Contains(s, StringComparison.Ordinal));
        }
    }

    /// <summary>Asserts that <paramref name="text"/> does not contain <paramref name="secret"/>, without quoting either.</summary>
    public static void AssertAbsent(string secret, string text, string where) =>
        Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The secret is in {where}.");

    /// <summary>Asserts that <paramref name="text"/> contains <paramref name="secret"/>, without quoting either.</summary>
    public static void AssertPresent(string secret, string text, string where) =>
        Assert.True(text.Contains(secret, StringComparison.Ordinal), $"The secret is not in {where}.");
}

/// <summary>A test failure whose original text held a secret; it carries that text with the secrets redacted.</summary>
public sealed class RedactedFailureException(string redacted) : Exception(redacted)
{
    public override string? StackTrace => null;

    public override string ToString() => Message;
}
