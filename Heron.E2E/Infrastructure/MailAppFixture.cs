namespace Heron.E2E.Infrastructure;

/// <summary>
/// The app delivering its mail over SMTP to a real SMTP server on loopback (<see cref="SmtpTestServer"/>),
/// with a quick outbox, so journeys wait on real emails rather than on the clock.
/// </summary>
public class MailAppFixture : AppFixture
{
    public MailAppFixture()
    {
        SendMailTo(Smtp);
        // Every journey signs in from 127.0.0.1, wrong passwords included; the per-address budget has its own tests.
        Settings["SignIn:AttemptsPerMinute"] = "1000";
        Mail = new Mailbox(Smtp, () => ServerAddress);
    }

    public SmtpTestServer Smtp { get; } = new();

    public Mailbox Mail { get; }

    public HeronApi Api => new(ServerAddress);

    public override async Task InitializeAsync()
    {
        Smtp.Start();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
