using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// A redis-server of a test's own on a free loopback port, for tests that stop and restart it (the shared
/// one from <c>./test.sh</c> must not be disturbed). No persistence: a restart starts empty.
/// </summary>
public sealed class RedisTestServer : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("heron-redis-").FullName;
    private Process? _process;

    public int Port { get; } = FreePort();
    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no", "--dir", _directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh (it installs it) or apt-get install redis-server.", ex);
        }
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(_process.HasExited, $"redis-server exited with {(_process.HasExited ? _process.ExitCode : 0)}.");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), "redis-server to listen");
    }

    /// <summary>Kills the server, as a crash or a network partition would take it away.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
