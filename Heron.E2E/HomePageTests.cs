using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E;

public sealed class HomePageTests(AppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : BrowserTest(app, browser, output)
{
    [Fact]
    public Task Home_page_shows_how_to_call_the_authenticated_endpoint_on_this_server() => WithPageAsync(async page =>
    {
        var home = await HomePage.OpenAsync(page);

        await Expect(home.Title).ToHaveTextAsync("Heron developer credentials");
        await Expect(home.CurlExample).ToContainTextAsync($"{App.ServerAddress}api/hello_world/authenticated");
        await Expect(home.CurlExample).ToContainTextAsync("x-api-key");
        await Screenshots.SaveAsync(page, "home");
    });
}
