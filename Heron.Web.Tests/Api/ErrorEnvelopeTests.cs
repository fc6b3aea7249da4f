using System.Net;
using Heron.Web.Tests.Infrastructure;
using Serilog.Events;

namespace Heron.Web.Tests.Api;

/// <summary>Every API error answers with Heron's envelope, whoever produced it: routing, an endpoint, an exception.</summary>
public sealed class ErrorEnvelopeTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api/credentials")]
    [InlineData("/api/credentials/keys/apk_x/rename")]
    [InlineData("/api/hello_world/authenticated/extra")]
    public async Task An_unknown_api_route_is_404_with_the_envelope(string path)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var withKey = factory.ClientWithKey(token);
        using var anonymous = factory.CreateClient();

        foreach (var client in new[] { withKey, anonymous })
        {
            using var response = await client.GetAsync(path);
            await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.NotFound, "Not Found");
        }
    }

    [Theory]
    [InlineData("POST", "/api/hello_world", "GET")]
    [InlineData("DELETE", "/api/hello_world/authenticated", "GET")]
    [InlineData("GET", "/api/credentials/keys/apk_0000000000000000000000", "DELETE")]
    [InlineData("POST", "/api/credentials/keys/apk_0000000000000000000000/activate", "PUT")]
    [InlineData("PATCH", "/api/credentials/keys", "GET")]
    [InlineData("POST", "/api/auth/environments", "GET")]
    public async Task A_wrong_method_is_405_with_the_envelope_and_an_allow_header(string method, string path, string allowed)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var client = factory.ClientWithKey(token);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.MethodNotAllowed, "Method Not Allowed");
        Assert.Contains(allowed, response.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_key_not_found_is_the_contracts_404_envelope()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);

        using var response = await api.DeleteAsync("apk_0000000000000000000000");

        Assert.Equal("Key not found", await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.NotFound, "Not Found"));
    }

    [Fact]
    public async Task Pages_outside_the_api_keep_their_own_404()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("\"code\"", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>An unhandled exception under <c>/api</c>: 500, Heron's apology, no stack trace; the details go to the log.</summary>
public sealed class InternalErrorEnvelopeTests(ThrowingEndpointFactory factory) : IClassFixture<ThrowingEndpointFactory>
{
    private const string Apology = "Something went wrong - sorry about that! If you continue having issues please email";

    [Fact]
    public async Task An_unhandled_exception_is_500_with_the_apology_and_no_stack_trace()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(ThrowingEndpointFactory.Path);

        var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.InternalServerError, "Internal Server Error");
        Assert.StartsWith(Apology, description);
        var body = await response.Content.ReadAsStringAsync();
        foreach (var leak in new[] { ThrowingEndpointFactory.SecretMessage, nameof(InvalidOperationException), " at ", ".cs:line", "Heron.Web" })
        {
            Assert.DoesNotContain(leak, body);
        }
    }

    [Fact]
    public async Task An_unhandled_exception_is_logged_as_an_error_with_its_details()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(ThrowingEndpointFactory.Path);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(factory.Log.Events, e => e.Level >= LogEventLevel.Error
            && e.Exception is InvalidOperationException { Message: ThrowingEndpointFactory.SecretMessage });
    }
}
