using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// A kept-alive connection remembers the token it last authenticated with (<see cref="ConnectionTokenMemory"/>),
/// so its next request skips the checksum and the hash. Nothing else may be remembered: every request on the
/// same connection still meets the key's current state, and any other token is checked in full.
/// </summary>
public sealed class ConnectionTokenMemoryTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task A_key_deactivated_deleted_or_replaced_is_refused_on_the_connection_it_was_accepted_on()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var created = await api.CreateAsync("kept alive");
        var token = created.GetProperty("token").GetString()!;
        var heronId = created.GetProperty("heron_id").GetString()!;
        using var connection = new OneConnection(factory.ServerAddress);

        Assert.Equal(HttpStatusCode.OK, await connection.StatusWithAsync(token));
        Assert.Equal(HttpStatusCode.OK, await connection.StatusWithAsync(token));

        using (var deactivated = await api.DeactivateAsync(heronId))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }
        Assert.Equal($"This API key ({token[..8]}…) has been deactivated.", (await connection.RefusalWithAsync(token)).Split(" Reactivate")[0]);

        using (var activated = await api.ActivateAsync(heronId))
        {
            Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, await connection.StatusWithAsync(token));

        using (var deleted = await api.DeleteAsync(heronId))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        Assert.StartsWith($"This API key ({token[..8]}…) has been deleted", await connection.RefusalWithAsync(token));
        Assert.Equal(1, connection.Opened);
    }

    [Fact]
    public async Task Another_token_on_the_same_connection_is_checked_in_full()
    {
        var (slug, token) = await factory.OnboardWithKeyAsync();
        var (otherSlug, otherToken) = await factory.OnboardWithKeyAsync();
        using var connection = new OneConnection(factory.ServerAddress);
        // The first use reads the key from the database; the second is accepted from memory and remembered.
        Assert.Equal(slug, await connection.OrganizationWithAsync(token));
        Assert.Equal(slug, await connection.OrganizationWithAsync(token));

        // The remembered token with its last character changed: same length, same prefix, wrong checksum.
        var typo = token[..^1] + (token[^1] == '0' ? '1' : '0');
        Assert.StartsWith("Invalid API key: its checksum does not match", await connection.RefusalWithAsync(typo));
        Assert.Equal(slug, await connection.OrganizationWithAsync(token));
        // A token that passes the offline check but is no key.
        Assert.StartsWith("Unknown API key", await connection.RefusalWithAsync(ApiKeyToken.Generate()));
        Assert.Equal(slug, await connection.OrganizationWithAsync(token));
        // Another organization's valid key on the same connection is that organization's, not the first one's.
        Assert.Equal(otherSlug, await connection.OrganizationWithAsync(otherToken));
        Assert.Equal(otherSlug, await connection.OrganizationWithAsync(otherToken));
        Assert.Equal(slug, await connection.OrganizationWithAsync(token));
        Assert.Equal(1, connection.Opened);
    }

    [Fact]
    public async Task The_key_check_remembers_an_accepted_token_and_forgets_it_on_anything_else()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var created = await api.CreateAsync("remembered");
        var token = created.GetProperty("token").GetString()!;
        var verifier = factory.Services.GetRequiredService<ApiKeyVerifier>();
        var connection = new Dictionary<object, object?>();
        async Task<ApiKeyVerification> CheckAsync(string? key)
        {
            var context = ContextOnConnection("HTTP/1.1", connection);
            if (key is not null)
            {
                context.Request.Headers[ApiKeyVerifier.HeaderName] = key;
            }
            return await verifier.VerifyAsync(context);
        }
        bool Remembers(string key) => ConnectionTokenMemory.TryRecall(ContextOnConnection("HTTP/1.1", connection), key, new byte[32]);

        // The key's first use on this instance reads it from the database; from the second on it is in memory.
        Assert.NotNull((await CheckAsync(token)).Caller);
        Assert.NotNull((await CheckAsync(token)).Caller);
        Assert.True(Remembers(token), "An accepted token was not remembered by its connection.");
        Assert.NotNull((await CheckAsync(token)).Caller);
        Assert.True(Remembers(token));

        Assert.Equal(RejectionReason.Missing, (await CheckAsync(null)).Rejection?.Reason);
        Assert.False(Remembers(token), "A request without a key left the token remembered.");

        Assert.NotNull((await CheckAsync(token)).Caller);
        Assert.Equal(RejectionReason.Unknown, (await CheckAsync(ApiKeyToken.Generate())).Rejection?.Reason);
        Assert.False(Remembers(token), "Another token left the token remembered.");

        Assert.NotNull((await CheckAsync(token)).Caller);
        using (var deactivated = await api.DeactivateAsync(created.GetProperty("heron_id").GetString()!))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }
        Assert.Equal(RejectionReason.Deactivated, (await CheckAsync(token)).Rejection?.Reason);
        Assert.False(Remembers(token), "A refused token stayed remembered.");
    }

    [Theory]
    [InlineData("HTTP/1.1", true)]
    [InlineData("HTTP/1.0", true)]
    [InlineData("HTTP/2", false)]
    [InlineData("HTTP/3", false)]
    public void Only_http1_connections_remember_a_token(string protocol, bool remembered)
    {
        var context = ContextOnConnection(protocol, new Dictionary<object, object?>());
        var token = ApiKeyToken.Generate();
        var recalled = new byte[32];

        ConnectionTokenMemory.Remember(context, token, ApiKeyToken.Hash(token));

        Assert.Equal(remembered, ConnectionTokenMemory.TryRecall(context, token, recalled));
        Assert.Equal(remembered ? ApiKeyToken.Hash(token) : new byte[32], recalled);
    }

    [Theory]
    [InlineData("last character changed")]
    [InlineData("one character short")]
    [InlineData("one character more")]
    public void A_remembered_token_is_matched_whole_and_forgotten_when_another_comes(string change)
    {
        var items = new Dictionary<object, object?>();
        var token = ApiKeyToken.Generate();
        ConnectionTokenMemory.Remember(ContextOnConnection("HTTP/1.1", items), token, ApiKeyToken.Hash(token));
        var other = change switch
        {
            "last character changed" => token[..^1] + (token[^1] == 'a' ? 'b' : 'a'),
            "one character short" => token[..^1],
            _ => token + "0",
        };
        var recalled = new byte[32];

        // The next request's header is a new string with the same characters.
        Assert.True(ConnectionTokenMemory.TryRecall(ContextOnConnection("HTTP/1.1", items), new string(token.AsSpan()), recalled));
        Assert.Equal(ApiKeyToken.Hash(token), recalled);
        Assert.False(ConnectionTokenMemory.TryRecall(ContextOnConnection("HTTP/1.1", items), other, recalled));
        Assert.False(ConnectionTokenMemory.TryRecall(ContextOnConnection("HTTP/1.1", items), token, recalled));
        Assert.Empty(items);
        // Another connection never remembered it.
        Assert.False(ConnectionTokenMemory.TryRecall(ContextOnConnection("HTTP/1.1", new Dictionary<object, object?>()), token, recalled));
    }

    private static DefaultHttpContext ContextOnConnection(string protocol, IDictionary<object, object?> items)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = protocol;
        context.Features.Set<IConnectionItemsFeature>(new ConnectionItems(items));
        return context;
    }

    private sealed class ConnectionItems(IDictionary<object, object?> items) : IConnectionItemsFeature
    {
        public IDictionary<object, object?> Items { get; set; } = items;
    }

    /// <summary>An HTTP client held to one kept-alive connection, counting the connections it opens.</summary>
    private sealed class OneConnection : IDisposable
    {
        private readonly HttpClient _client;
        private int _opened;

        public OneConnection(Uri server)
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = 1,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                ConnectCallback = async (context, cancellationToken) =>
                {
                    Interlocked.Increment(ref _opened);
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            _client = new HttpClient(handler) { BaseAddress = server };
        }

        public int Opened => Volatile.Read(ref _opened);

        public async Task<HttpStatusCode> StatusWithAsync(string token)
        {
            using var response = await SendAsync(token);
            return response.StatusCode;
        }

        /// <summary>The description of the 401 the token gets.</summary>
        public async Task<string> RefusalWithAsync(string token)
        {
            using var response = await SendAsync(token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(401, body.RootElement.GetProperty("code").GetInt32());
            return body.RootElement.GetProperty("description").GetString()!;
        }

        public async Task<string?> OrganizationWithAsync(string token)
        {
            using var response = await SendAsync(token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("organization").GetString();
        }

        private Task<HttpResponseMessage> SendAsync(string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/hello_world/authenticated");
            request.Headers.Add(ApiKeyVerifier.HeaderName, token);
            return _client.SendAsync(request);
        }

        public void Dispose() => _client.Dispose();
    }
}
