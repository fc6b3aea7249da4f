using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Heron.Web.Site;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) or <c>ForwardedHeaders:KnownNetworks</c> (CIDR). From anyone
/// else they are ignored: a client address that anyone can claim would defeat throttling and the audit trail.
/// </summary>
public static class TrustedProxies
{
    public static void Configure(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("ForwardedHeaders");
        var proxies = List(section, "KnownProxies").Select(IPAddress.Parse).ToList();
        var networks = List(section, "KnownNetworks").Select(n => System.Net.IPNetwork.Parse(n)).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only what is configured: not even loopback by default.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
    }

    /// <summary>Whether any proxy is trusted, i.e. whether forwarded headers are read at all.</summary>
    public static bool AnyConfigured(IConfiguration configuration)
    {
        var section = configuration.GetSection("ForwardedHeaders");
        return List(section, "KnownProxies").Any() || List(section, "KnownNetworks").Any();
    }

    /// <summary>A list (<c>KnownProxies:0</c>, <c>:1</c>…) or one value separated by semicolons or commas (handy in an environment variable).</summary>
    private static IEnumerable<string> List(IConfigurationSection section, string key)
    {
        var list = section.GetSection(key);
        var children = list.GetChildren().Select(c => c.Value ?? "").ToList();
        IEnumerable<string> values = children.Count > 0 ? children : (list.Value ?? "").Split(';', ',');
        return values.Select(v => v.Trim()).Where(v => v.Length > 0);
    }
}
