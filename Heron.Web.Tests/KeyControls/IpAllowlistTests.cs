using System.Net;
using Heron.Web.ApiKeys;

namespace Heron.Web.Tests.KeyControls;

/// <summary>CIDR edge cases, IPv4 and IPv6, and IPv4-mapped IPv6 on either side.</summary>
public sealed class IpAllowlistTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", true)]
    [InlineData("192.0.2.0/24", "192.0.2.255", true)]
    [InlineData("192.0.2.0/24", "192.0.1.255", false)]
    [InlineData("192.0.2.0/24", "192.0.3.0", false)]
    [InlineData("192.0.2.7", "192.0.2.7", true)]
    [InlineData("192.0.2.7", "192.0.2.8", false)]
    [InlineData("192.0.2.7/32", "192.0.2.7", true)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.9", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.9", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.3.9", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/32", "2001:db9::", false)]
    [InlineData("2001:db8::/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", false)]
    [InlineData("2001:db8:0:1::/64", "2001:db8:0:1:ffff::1", true)]
    [InlineData("2001:db8:0:1::/64", "2001:db8:0:2::", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("::/0", "192.0.2.1", false)]
    public void An_allowlist_admits_exactly_its_ranges(string entry, string address, bool allowed)
    {
        Assert.Null(IpAllowlist.TryParse([entry], out var allowlist));
        Assert.Equal(allowed, allowlist.Allows(IPAddress.Parse(address)));
        // What is stored reads back as the same list.
        Assert.Equal(allowed, IpAllowlist.FromStored(allowlist.Stored).Allows(IPAddress.Parse(address)));
    }

    [Fact]
    public void An_empty_allowlist_is_anywhere_and_a_missing_address_is_refused_by_any_other()
    {
        Assert.Null(IpAllowlist.TryParse([], out var anywhere));
        Assert.True(anywhere.IsAnywhere);
        Assert.Null(anywhere.Stored);
        Assert.True(anywhere.Allows(null));
        Assert.Null(IpAllowlist.TryParse(["0.0.0.0/0"], out var everyIPv4));
        Assert.False(everyIPv4.Allows(null));
    }
}
