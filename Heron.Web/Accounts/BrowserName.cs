namespace Heron.Web.Accounts;

/// <summary>A short browser description for emails ("Chrome on Linux"), from the User-Agent.</summary>
public static class BrowserName
{
    public static string? Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }
        var browser = userAgent switch
        {
            var ua when ua.Contains("Edg/") => "Edge",
            var ua when ua.Contains("Firefox/") => "Firefox",
            var ua when ua.Contains("Chrome/") || ua.Contains("Chromium/") => "Chrome",
            var ua when ua.Contains("Safari/") => "Safari",
            var ua when ua.StartsWith("curl/") => "curl",
            _ => "an unrecognised browser",
        };
        var os = userAgent switch
        {
            var ua when ua.Contains("Windows") => " on Windows",
            var ua when ua.Contains("Mac OS X") => " on macOS",
            var ua when ua.Contains("Android") => " on Android",
            var ua when ua.Contains("iPhone") || ua.Contains("iPad") => " on iOS",
            var ua when ua.Contains("Linux") => " on Linux",
            _ => "",
        };
        return browser + os;
    }
}
