using Heron.Web.Organizations;

namespace Heron.Web.Accounts;

/// <summary>How long a dashboard session may live and sit idle.</summary>
public sealed class SessionLifetime
{
    public TimeSpan AbsoluteLifetime { get; set; }
    public TimeSpan IdleTimeout { get; set; }
}

/// <summary>The <c>Sessions</c> configuration section: shorter for production and for operators, whose sessions can do more.</summary>
public sealed class SessionOptions
{
    public SessionLifetime Development { get; set; } = new() { AbsoluteLifetime = TimeSpan.FromHours(24), IdleTimeout = TimeSpan.FromHours(2) };
    public SessionLifetime Production { get; set; } = new() { AbsoluteLifetime = TimeSpan.FromHours(12), IdleTimeout = TimeSpan.FromMinutes(30) };
    public SessionLifetime Operators { get; set; } = new() { AbsoluteLifetime = TimeSpan.FromHours(8), IdleTimeout = TimeSpan.FromMinutes(15) };

    public SessionLifetime For(RealmKind kind) => kind switch
    {
        RealmKind.Production => Production,
        RealmKind.Internal => Operators,
        _ => Development,
    };
}
