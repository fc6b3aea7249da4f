using Xunit.Abstractions;

namespace Heron.E2E.Infrastructure;

/// <summary>The journeys that need mail: one app delivering over SMTP, one browser; the tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class MailE2ECollection : ICollectionFixture<MailAppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "E2E with mail";
}

/// <summary>A browser test against the app that delivers mail over SMTP to <see cref="MailAppFixture.Smtp"/>.</summary>
[Collection(MailE2ECollection.Name)]
public abstract class MailBrowserTest(MailAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : BrowserTestBase<MailAppFixture>(app, browser, output)
{
    protected Mailbox Mail => App.Mail;

    protected HeronApi Api => App.Api;
}
