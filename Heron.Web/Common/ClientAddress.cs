namespace Heron.Web.Common;

public static class ClientAddress
{
    /// <summary>The client's IP as the server saw it (after forwarded-header processing, when enabled).</summary>
    public static string? Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
