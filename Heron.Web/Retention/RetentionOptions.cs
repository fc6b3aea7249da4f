namespace Heron.Web.Retention;

/// <summary>The <c>Retention</c> configuration section: how long records that only serve a while are kept.</summary>
public sealed class RetentionOptions
{
    /// <summary>How often the job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>"Forgot password?" requests; they throttle over an hour, so a day is plenty.</summary>
    public TimeSpan PasswordResetRequests { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Delivered emails (failed ones are kept for operators).</summary>
    public TimeSpan DeliveredEmails { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Browsers not seen for this long are forgotten (their cookie lives 400 days), so a sign-in from one is announced again.</summary>
    public TimeSpan KnownBrowsers { get; set; } = TimeSpan.FromDays(400);
}
