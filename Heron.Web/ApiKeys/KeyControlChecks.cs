namespace Heron.Web.ApiKeys;

/// <summary>
/// The checks a recognised, active key passes before its request goes on: expiry and allowlist (scopes
/// need the endpoint, so <see cref="ApiScopes.Check"/> runs in the middleware). Both read only what the
/// <see cref="ApiKeyDirectory"/> holds: no database, and nothing allocated for a key without an allowlist.
/// </summary>
public static class KeyControlChecks
{
    public static ApiKeyRejection? Refusal(VerifiedApiKey key, DateTime now, HttpContext context)
    {
        if (now.Ticks >= key.ExpiresAtTicks)
        {
            return new ApiKeyRejection(RejectionReason.Expired, key.TokenPrefix)
            {
                KeyId = key.KeyId,
                ExpiredAt = new DateTime(key.ExpiresAtTicks, DateTimeKind.Utc),
            };
        }
        if (!key.Allowlist.IsAnywhere && !key.Allowlist.Allows(context.Connection.RemoteIpAddress))
        {
            var address = context.Connection.RemoteIpAddress;
            return new ApiKeyRejection(RejectionReason.IpNotAllowed, key.TokenPrefix)
            {
                KeyId = key.KeyId,
                ClientIp = (address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4().ToString() : address?.ToString()) ?? "an unknown address",
            };
        }
        return null;
    }
}
