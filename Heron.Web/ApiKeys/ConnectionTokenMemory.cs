using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Connections.Features;

namespace Heron.Web.ApiKeys;

/// <summary>
/// The token a kept-alive HTTP/1.x connection's last key check accepted, and its SHA-256 hash, so that the
/// connection's next request with the same token skips the checksum and the hash. It only ever saves
/// work that gives the same answer: the key's state, expiry, allowlist and scopes are still read from
/// the <see cref="ApiKeyDirectory"/> on every request, so a revocation takes effect on an open connection
/// as on a new one.
/// </summary>
/// <remarks>
/// What it keeps: the last accepted token's string, held by the connection until it closes (at most
/// Kestrel's keep-alive timeout after its last request) or until a key check on it sees anything else (no
/// key, another token, or this token refused for its key's state or controls), which forgets it. Nothing
/// of it is written anywhere.
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

    /// <summary>
    /// Copies the hash of <paramref name="token"/> into <paramref name="destination"/> when it is the token this
    /// connection last had accepted; otherwise forgets that token and returns false.
    /// </summary>
    public static bool TryRecall(HttpContext context, string token, Span<byte> destination)
    {
        if (ItemsOf(context) is not { } items || !items.TryGetValue(ItemKey, out var item) || item is not ConnectionTokenMemory remembered)
        {
            return false;
        }
        if (!remembered.Matches(token))
        {
            items.Remove(ItemKey);
            return false;
        }
        remembered._hash.CopyTo(destination);
        return true;
    }

    /// <summary>Remembers a token that was just accepted, with its hash.</summary>
    public static void Remember(HttpContext context, string token, ReadOnlySpan<byte> hash)
    {
        if (ItemsOf(context) is { } items)
        {
            items[ItemKey] = new ConnectionTokenMemory(token, hash.ToArray());
        }
    }

    /// <summary>Forgets the connection's token: a key check saw no key, or refused the remembered one.</summary>
    public static void Forget(HttpContext context) => ItemsOf(context)?.Remove(ItemKey);

    private bool Matches(string token) =>
        token.Length == _token.Length
        && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(token.AsSpan()), MemoryMarshal.AsBytes(_token.AsSpan()));

    private static IDictionary<object, object?>? ItemsOf(HttpContext context) =>
        HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol)
            ? context.Features.Get<IConnectionItemsFeature>()?.Items
            : null;
}
