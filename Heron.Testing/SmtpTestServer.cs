using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Heron.Testing;

/// <summary>
/// A real SMTP server on a loopback port, in process (the SmtpServer package). The app delivers to it
/// over TCP exactly as it would to any mail server; tests read what arrived. It can be stopped and
/// started again on the same port to play an outage.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private CancellationTokenSource? _running;
    private Task? _serving;

    public SmtpTestServer()
    {
        Port = FreePort();
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Messages => _messages.ToList();

    public bool IsRunning => _running is not null;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public SmtpTestServer Start()
    {
        if (_running is not null)
        {
            return this;
        }
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new CancellationTokenSource();
        _serving = new SmtpServer.SmtpServer(options, services).StartAsync(_running.Token);
        return this;
    }

    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }
        await _running.CancelAsync();
        try
        {
            await _serving!;
        }
        catch (OperationCanceledException)
        {
        }
        _running.Dispose();
        _running = null;
    }

    /// <summary>Waits until a message matching <paramref name="match"/> has arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            if (_messages.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                if (_messages.FirstOrDefault(match) is { } late)
                {
                    return late;
                }
                throw new TimeoutException(
                    $"No matching email arrived. Received: {string.Join("; ", _messages.Select(m => $"{m.To} '{m.Subject}'"))}");
            }
        }
    }

    /// <summary>Messages addressed to <paramref name="address"/>.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        _messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(SmtpTestServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            server._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            server._arrived.Release();
            return SmtpResponse.Ok;
        }
    }
}

public static class MimeMessageExtensions
{
    /// <summary>The first link in the plain-text body that starts with <paramref name="prefix"/>.</summary>
    public static string LinkStartingWith(this MimeMessage message, string prefix)
    {
        var text = message.TextBody ?? "";
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"No link starting with {prefix} in '{message.Subject}'.");
        }
        var end = text.IndexOfAny([' ', '\n', '\r'], start);
        return end < 0 ? text[start..] : text[start..end];
    }
}
