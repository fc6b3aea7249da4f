using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Serilog.Events;

namespace Heron.Web.Tests.Api;

/// <summary>Requests Kestrel itself objects to still get Heron's envelope and an honest log line.</summary>
public sealed class EdgeTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Theory]
    [InlineData("key_é0000000000000000000000000000000000000000000000")]
    [InlineData("ключ")]
    public async Task A_non_ascii_api_key_reaches_heron_and_is_refused_as_malformed_with_the_envelope(string key)
    {
        var response = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(key));

        Assert.Equal(401, response.StatusCode);
        var envelope = JsonDocument.Parse(response.Body).RootElement;
        Assert.Equal(401, envelope.GetProperty("code").GetInt32());
        Assert.StartsWith("Malformed API key", envelope.GetProperty("description").GetString());
        Assert.Contains(factory.Log.Rejections, e => e.Scalar("Reason") == "malformed");
    }

    [Fact]
    public async Task A_body_over_kestrels_limit_is_413_with_the_envelope_logged_as_413_at_warning_without_a_stack_trace()
    {
        var slug = await factory.OnboardAsync();
        var token = await factory.IssueKeyAsync(slug);
        factory.StartServer();
        var port = factory.ClientOptions.BaseAddress.Port;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        // 40 MB announced: Kestrel refuses the body (its limit is 30 MB) at the first read, before any is sent.
        var head = $"POST /api/credentials/keys HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nx-api-key: {token}\r\n"
            + "Content-Type: application/json\r\nContent-Length: 40000000\r\n\r\n{\"name\":";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while (!Encoding.ASCII.GetString(received.ToArray()).Contains("}") && (read = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        var text = Encoding.ASCII.GetString(received.ToArray());

        Assert.StartsWith("HTTP/1.1 413", text);
        Assert.Contains("\"code\":413", text);
        var logged = await Eventually.WaitForAsync(
            () => Task.FromResult(factory.Log.Events.Where(e => e.Scalar("RequestPath") == "/api/credentials/keys" && e.Scalar("StatusCode") == "413").ToList()),
            events => events.Count > 0, TimeSpan.FromSeconds(10), "the request log's line");
        Assert.All(logged, e => Assert.Equal(LogEventLevel.Warning, e.Level));
        Assert.All(logged, e => Assert.Null(e.Exception));
        Assert.DoesNotContain(factory.Log.Events, e => e.Level >= LogEventLevel.Error);
        Assert.DoesNotContain(factory.Log.Events, e => e.Scalar("StatusCode") == "500");
    }
}
