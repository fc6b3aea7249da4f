using MailKit.Security;

namespace Heron.Web.Email;

/// <summary>The <c>Email</c> configuration section.</summary>
public sealed class EmailOptions
{
    public SmtpOptions Smtp { get; set; } = new();
    public string From { get; set; } = "Heron <no-reply@heron.local>";
    /// <summary>Where messages are written as <c>.eml</c> files when no SMTP host is configured.</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail";
    /// <summary>How often the outbox is checked when nothing signals a new message (retries, other instances).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxAttempts { get; set; } = 12;
    /// <summary>The wait after the first failed delivery; it doubles with each further failure, up to ten minutes.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

internal static class SmtpSecurityExtensions
{
    public static SecureSocketOptions ToMailKit(this SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
