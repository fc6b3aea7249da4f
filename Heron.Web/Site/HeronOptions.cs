namespace Heron.Web.Site;

/// <summary>The <c>Heron</c> configuration section.</summary>
public sealed class HeronOptions
{
    /// <summary>
    /// The public address of the site, used for every link Heron shows or sends. Never taken from the
    /// request's Host header, which a client controls.
    /// </summary>
    public string BaseUrl { get; set; } = "http://localhost:5106";

    /// <summary>An absolute link on the public address: <c>Url("/account/login")</c>; <c>Url()</c> is the address itself.</summary>
    public string Url(string pathAndQuery = "") => BaseUrl.TrimEnd('/') + pathAndQuery;
}
