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

    public static string Exact(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
}
