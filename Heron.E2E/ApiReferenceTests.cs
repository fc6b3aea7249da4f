using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E;

public sealed class ApiReferenceTests(AppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : BrowserTest(app, browser, output)
{
    [Fact]
    public Task Api_reference_lists_the_operations_and_offers_x_api_key_authorization() => WithPageAsync(async page =>
    {
        var reference = await ApiReferencePage.OpenAsync(page);

        await Expect(reference.Title).ToContainTextAsync("Heron API");
        await Expect(reference.Operation("get", "/api/credentials/keys")).ToBeVisibleAsync();
        await Expect(reference.Operation("post", "/api/credentials/keys")).ToBeVisibleAsync();
        var authenticated = reference.Operation("get", "/api/hello_world/authenticated");
        await Expect(authenticated).ToBeVisibleAsync();
        await Expect(reference.Padlock(authenticated)).ToBeVisibleAsync();
        await Expect(reference.Padlock(reference.Operation("get", "/api/hello_world"))).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "api-reference");

        await reference.OpenAuthorizeDialogAsync();

        await Expect(reference.AuthorizeDialog).ToContainTextAsync("x-api-key");
        await Expect(reference.AuthorizeDialog).ToContainTextAsync("header");
        await Expect(reference.ApiKeyInput).ToBeEditableAsync();
        await reference.CloseAuthorizeDialogAsync();

        await reference.SwitchToDarkModeAsync();
    });

    [Fact]
    public Task A_key_entered_in_the_api_reference_is_sent_as_x_api_key() => WithPageAsync(async page =>
    {
        var slug = await App.OnboardAsync();
        var token = await App.IssueKeyAsync(slug);
        var home = await HomePage.OpenAsync(page);
        var reference = await home.OpenApiReferenceAsync();

        await reference.AuthorizeAsync(token);
        var response = await reference.TryItOutAsync(reference.Operation("get", "/api/hello_world/authenticated"));

        await Expect(response.Locator(".response-col_status")).ToHaveTextAsync("200");
        await Expect(response.Locator(".response-col_description")).ToContainTextAsync($"\"organization\": \"{slug}\"");
    });
}
