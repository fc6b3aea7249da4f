using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections.Features;

namespace Heron.Web.ApiKeys;

/// <summary>
/// The token a kept-alive HTTP/1.x connection last authenticated with, and its SHA-256 hash, so that the
/// connection's next request with the same token skips the checksum and the hash. It only ever saves
/// work that gives the same answer: the key's state, expiry, allowlist and scopes are still read from
/// the <see cref="ApiKeyDirectory"/> on every request, so a revocation takes effect on an open connection
/// as on a new one.
/// </summary>
/// <remarks>
/// What it keeps: a reference to the last accepted token's string, held by the connection until it closes
/// (at most Kestrel's keep-alive timeout after its last request) or another token replaces it; the client
/// sends that token on every request of the connection anyway, and nothing of it is written anywhere.
/// A token is matched in constant time, so a client sharing a proxy's upstream connection cannot learn
/// another client's token from how fast a guess is refused. HTTP/2 and HTTP/3 interleave requests on one
/// connection from several threads; they are left out rather than locked.
/// </remarks>
internal sealed class ConnectionTokenMemory
{
    private static readonly object ItemKey = typeof(ConnectionTokenMemory);

    private readonly string _token;
    private readonly byte[] _hash;

    private ConnectionTokenMemory(string token, byte[] hash) => (_token, _hash) = (token, hash);

    /// <summary>The hash of <paramref name="token"/> when it is the one this connection last authenticated with.</summary>
    public static byte[]? HashIfRepeated(HttpContext context, string token) =>
        ItemsOf(context) is { } items && items.TryGetValue(ItemKey, out var item) && item is ConnectionTokenMemory remembered
            && remembered.Matches(token)
            ? remembered._hash
            : null;

    /// <summary>Remembers a token that was just accepted, with its hash.</summary>
    public static void Remember(HttpContext context, string token, ReadOnlySpan<byte> hash)
    {
        if (ItemsOf(context) is { } items)
        {
            items[ItemKey] = new ConnectionTokenMemory(token, hash.ToArray());
        }
    }

    private bool Matches(string token) =>
        token.Length == _token.Length
        && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(token.AsSpan()), MemoryMarshal.AsBytes(_token.AsSpan()));

    private static IDictionary<object, object?>? ItemsOf(HttpContext context) =>
        HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)
            ? context.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
}
