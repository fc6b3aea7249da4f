using System.Net;
using System.Text.Json;
using Heron.Web.Demo;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Dashboard;

/// <summary>The app as a newcomer first runs it: Development, an empty database, the demo password from the repository.</summary>
public sealed class FirstRunFactory : MailingHeronFactory
{
    public FirstRunFactory() => Settings["Heron:Demo:Password"] = DemoPassword;

    public static string DemoPassword { get; } = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("Heron.Web", "appsettings.Development.json")))
        .RootElement.GetProperty("Heron").GetProperty("Demo").GetProperty("Password").GetString()!;
}

public sealed class FirstRunTests(FirstRunFactory factory) : IClassFixture<FirstRunFactory>
{
    [Fact]
    public async Task The_demo_accounts_the_console_announces_can_sign_in()
    {
        var customer = factory.Dashboard();
        var signIn = await customer.SignInAsync(DemoSeeding.DemoUser, FirstRunFactory.DemoPassword);
        Assert.Equal("/dev/settings/api-credentials", signIn.Headers.Location!.ToString());
        Assert.Contains(">Demo<", await customer.Http.GetStringAsync("/dev/settings/api-credentials"));

        var operatorClient = factory.Dashboard();
        // Operators set up an authenticator app at their first sign-in, the demo operator too.
        await operatorClient.SignInAsNewOperatorAsync(DemoSeeding.DemoOperator, FirstRunFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.Http.GetAsync("/admin")).StatusCode);

        Assert.Contains(factory.Log.Events, e => e.RenderMessage().Contains("First run: seeded a demo organization and operator"));
        Assert.DoesNotContain(FirstRunFactory.DemoPassword, factory.Log.AllText());
    }
}
