namespace Heron.Web.Dashboard;

/// <summary>Times as people read them in lists: "3 minutes ago", with the exact UTC time on hover.</summary>
public static class Relative
{
    public static string Describe(DateTime at, DateTime now)
    {
        var ago = now - at;
        return ago.TotalSeconds switch
        {
            < 45 => "just now",
            < 90 => "a minute ago",
            < 3600 => $"{(int)Math.Round(ago.TotalMinutes)} minutes ago",
            < 5400 => "an hour ago",
            < 86400 => $"{(int)Math.Round(ago.TotalHours)} hours ago",
            < 172800 => "yesterday",
            < 30 * 86400 => $"{(int)Math.Round(ago.TotalDays)} days ago",
            _ => at.ToString("d MMM yyyy"),
        };
    }

    /// <summary>A time ahead: "in 3 days".</summary>
    public static string Until(DateTime at, DateTime now)
    {
        var left = at - now;
        return left.TotalSeconds switch
        {
            < 90 => "in a minute",
            < 3600 => $"in {(int)Math.Round(left.TotalMinutes)} minutes",
            < 5400 => "in an hour",
            < 86400 => $"in {(int)Math.Round(left.TotalHours)} hours",
            < 129600 => "in a day",
            < 60 * 86400 => $"in {(int)Math.Round(left.TotalDays)} days",
            _ => "on " + at.ToString("d MMM yyyy"),
        };
    }

    public static string Exact(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
}
