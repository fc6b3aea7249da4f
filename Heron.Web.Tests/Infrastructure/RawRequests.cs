using System.Net;
using System.Net.Sockets;
using System.Text;
using Heron.Web.ApiKeys;
using Microsoft.Extensions.Primitives;

namespace Heron.Web.Tests.Infrastructure;

public sealed record RawResponse(int StatusCode, string Body, string? ContentType);

/// <summary>
/// HTTP/1.1 written by hand on a loopback socket, for what <see cref="HttpClient"/> refuses to send
/// (control characters, repeated or oversized headers): the request meets Kestrel exactly as a
/// misbehaving client's would. The socket is bound to its own loopback address, which the app sees
/// as the caller's IP.
/// </summary>
public static class RawRequests
{
    /// <summary>A loopback address of its own, standing in for the caller's IP.</summary>
    public static readonly IPAddress ClientIp = IPAddress.Parse("127.0.0.7");

    /// <param name="apiKey">The x-api-key header exactly as sent: null for none, several values for repeated headers.</param>
    public static async Task<RawResponse> SendRawAsync(
        this HeronFactory factory, string method, string path, StringValues? apiKey = null, string? jsonBody = null, IPAddress? clientIp = null)
    {
        factory.StartServer();
        var port = factory.ClientOptions.BaseAddress.Port;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(clientIp ?? ClientIp, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));

        var body = jsonBody is null ? [] : Encoding.UTF8.GetBytes(jsonBody);
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
        if (apiKey is { } key)
        {
            foreach (var value in key)
            {
                head.Append($"{ApiKeyVerifier.HeaderName}: {value}\r\n");
            }
        }
        if (jsonBody is not null)
        {
            head.Append("Content-Type: application/json\r\n");
        }
        head.Append($"Content-Length: {body.Length}\r\n\r\n");
        await socket.SendAsync(Encoding.UTF8.GetBytes(head.ToString()).Concat(body).ToArray());

        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return Parse(received.ToArray());
    }

    private static RawResponse Parse(byte[] response)
    {
        var split = response.AsSpan().IndexOf("\r\n\r\n"u8);
        var lines = Encoding.ASCII.GetString(response, 0, split).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = response[(split + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }
        return new RawResponse(status, Encoding.UTF8.GetString(body), headers.GetValueOrDefault("Content-Type"));
    }

    /// <summary>Chunk sizes count bytes, so the body is reassembled as bytes before it is decoded.</summary>
    private static byte[] Unchunk(byte[] chunked)
    {
        var result = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = position + chunked.AsSpan(position).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd - position).Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToArray();
            }
            result.Write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
