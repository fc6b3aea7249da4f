using System.Net;
using System.Text;
using Heron.Web.ApiKeys;
using Microsoft.Extensions.Primitives;

namespace Heron.Web.Tests.Infrastructure;

public sealed record RawResponse(int StatusCode, string Body, string? ContentType);

/// <summary>
/// Requests built directly on the test server's <c>HttpContext</c>, for what <see cref="HttpClient"/> refuses to
/// send (control characters, repeated or oversized headers) and for a client address, which the test server
/// leaves empty where Kestrel would fill it in.
/// </summary>
public static class RawRequests
{
    /// <summary>A documentation address (TEST-NET-3) that stands in for the caller's IP.</summary>
    public static readonly IPAddress ClientIp = IPAddress.Parse("203.0.113.7");

    /// <param name="apiKey">The x-api-key header exactly as sent: null for none, several values for repeated headers.</param>
    public static async Task<RawResponse> SendRawAsync(
        this HeronFactory factory, string method, string path, StringValues? apiKey = null, string? jsonBody = null, IPAddress? clientIp = null)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = clientIp ?? ClientIp;
            if (apiKey is { } key)
            {
                c.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = key;
            }
            if (jsonBody is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(jsonBody);
                c.Request.ContentType = "application/json";
                c.Request.ContentLength = bytes.Length;
                c.Request.Body = new MemoryStream(bytes);
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return new RawResponse(context.Response.StatusCode, await reader.ReadToEndAsync(), context.Response.ContentType);
    }
}
