using Heron.Testing;
using MimeKit;

namespace Heron.E2E.Infrastructure;

/// <summary>What arrived at the SMTP server, read the way a person reads their inbox.</summary>
public sealed class Mailbox(SmtpTestServer smtp, Func<Uri> serverAddress)
{
    /// <summary>Mail goes through the outbox and a background sender: allow for a busy machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Waits for an email to <paramref name="to"/> whose subject contains <paramref name="subject"/>.</summary>
    public Task<MimeMessage> WaitForAsync(string to, string subject, Func<MimeMessage, bool>? and = null) =>
        smtp.WaitForAsync(m => IsTo(m, to)
                               && (m.Subject ?? "").Contains(subject, StringComparison.OrdinalIgnoreCase)
                               && (and?.Invoke(m) ?? true),
            Patience);

    /// <summary>Every email to <paramref name="address"/> that has arrived so far.</summary>
    public IReadOnlyList<MimeMessage> To(string address) => smtp.To(address);

    /// <summary>The emails to <paramref name="address"/> whose subject contains <paramref name="subject"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address, string subject) =>
        smtp.To(address).Where(m => (m.Subject ?? "").Contains(subject, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The link in <paramref name="message"/> to <paramref name="path"/> on this server (Heron:BaseUrl).</summary>
    public string LinkTo(MimeMessage message, string path) => message.LinkStartingWith(new Uri(serverAddress(), path).ToString());

    private static bool IsTo(MimeMessage message, string address) =>
        message.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase));
}
