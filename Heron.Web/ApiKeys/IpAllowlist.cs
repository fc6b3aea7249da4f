using System.Net;
using System.Net.Sockets;

namespace Heron.Web.ApiKeys;

/// <summary>
/// The addresses a key may be used from: IPv4/IPv6 addresses and CIDR ranges. Empty means anywhere.
/// IPv4-mapped IPv6 addresses (<c>::ffff:192.0.2.1</c>), in the list or on the connection, count as the
/// IPv4 address they carry, so a dual-stack listener cannot slip past an IPv4 rule.
/// </summary>
public sealed class IpAllowlist
{
    public const int MaxEntries = 50;

    public static readonly IpAllowlist Anywhere = new([]);

    private readonly IPNetwork[] _networks;

    private IpAllowlist(IPNetwork[] networks) => _networks = networks;

    public bool IsAnywhere => _networks.Length == 0;

    /// <summary>The entries in canonical form: a single address without a prefix length, a range as <c>base/length</c>.</summary>
    public IReadOnlyList<string> Entries => _networks.Select(Format).ToList();

    public bool Allows(IPAddress? address)
    {
        if (_networks.Length == 0)
        {
            return true;
        }
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How the list is stored: null for anywhere, else the canonical entries one per line.</summary>
    public string? Stored => IsAnywhere ? null : string.Join('\n', Entries);

    public static IpAllowlist FromStored(string? stored) => string.IsNullOrEmpty(stored)
        ? Anywhere
        : new(stored.Split('\n').Select(e => TryParseEntry(e, out var network, out _) ? network : throw new FormatException(e)).ToArray());

    /// <summary>Parses the entries; on failure returns the problem with the entry that caused it, in words a person can act on.</summary>
    public static string? TryParse(IReadOnlyList<string> entries, out IpAllowlist allowlist)
    {
        allowlist = Anywhere;
        if (entries.Count > MaxEntries)
        {
            return $"At most {MaxEntries} addresses or ranges.";
        }
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (!TryParseEntry(entry, out var network, out var problem))
            {
                return problem;
            }
            if (!networks.Contains(network))
            {
                networks.Add(network);
            }
        }
        allowlist = new([.. networks]);
        return null;
    }

    private static bool TryParseEntry(string raw, out IPNetwork network, out string? problem)
    {
        network = default;
        problem = null;
        var entry = raw.Trim();
        var slash = entry.IndexOf('/');
        var addressPart = slash < 0 ? entry : entry[..slash];
        // IPAddress.TryParse also accepts "1", "1.2" and scoped "fe80::1%eth0": only dotted quads and plain IPv6 are addresses here.
        if (entry.Length is 0 or > 64 || addressPart.Contains('%') || !IPAddress.TryParse(addressPart, out var address)
            || address.AddressFamily == AddressFamily.InterNetwork && addressPart.Count(c => c == '.') != 3)
        {
            problem = $"“{Shorten(entry)}” is not an IPv4 or IPv6 address or CIDR range (for example 203.0.113.0/24 or 2001:db8::/32).";
            return false;
        }
        var mapped = address.IsIPv4MappedToIPv6;
        if (mapped)
        {
            address = address.MapToIPv4();
        }
        var maxLength = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = maxLength;
        if (slash >= 0)
        {
            var lengthPart = entry[(slash + 1)..];
            if (lengthPart.Length is 0 or > 3 || !lengthPart.All(char.IsAsciiDigit) || !int.TryParse(lengthPart, out length)
                || (mapped ? length - 96 : length) is var effective && (effective < 0 || effective > maxLength))
            {
                problem = $"“{Shorten(entry)}” has a prefix length outside 0..{(mapped ? 128 : maxLength)}.";
                return false;
            }
            length = mapped ? length - 96 : length;
        }
        var masked = Masked(address, length);
        if (!masked.Equals(address))
        {
            // Bits set beyond the prefix length are almost always a typo: say which range was probably meant.
            problem = $"“{Shorten(entry)}” has bits set beyond its prefix length; did you mean {masked}/{length}?";
            return false;
        }
        network = new IPNetwork(address, length);
        return true;
    }

    private static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
        return new IPAddress(bytes);
    }

    private static string Format(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            ? network.BaseAddress.ToString()
            : network.ToString();

    private static string Shorten(string entry) => entry.Length > 64 ? entry[..64] + "…" : entry;
}
