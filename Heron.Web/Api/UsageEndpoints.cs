using Heron.Web.ApiKeys;

namespace Heron.Web.Api;

/// <summary><c>GET /api/credentials/keys/{heron_id}/usage</c>: a key's accepted and refused requests, per hour or per minute.</summary>
public static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder keys)
    {
        keys.MapGet("/{heron_id}/usage", UsageAsync)
            .RequireScope(ApiScopes.CredentialsRead)
            .WithName("GetApiKeyUsage")
            .WithSummary("A key's accepted and rejected requests: hourly for the last 7 days, or per minute for the last 60 minutes")
            .Produces<ApiKeyUsage>(StatusCodes.Status200OK)
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        return keys;
    }

    /// <param name="interval"><c>hour</c> (the default) or <c>minute</c>.</param>
    private static async Task<IResult> UsageAsync(string heron_id, string? interval, ApiCaller caller, ApiKeyService keys, KeyUsageService usage,
        CancellationToken ct)
    {
        UsageInterval? parsed = interval switch
        {
            null or "hour" => UsageInterval.Hour,
            "minute" => UsageInterval.Minute,
            _ => null,
        };
        if (parsed is not { } chosen)
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, new Dictionary<string, Dictionary<string, Dictionary<string, string[]>>>
            {
                ["query"] = new() { ["interval"] = new() { ["_schema"] = ["Must be one of: hour, minute."] } },
            });
        }
        if (await keys.FindAsync(caller.RealmId, heron_id, ct) is not { } key)
        {
            return ApiError.Result(StatusCodes.Status404NotFound, CredentialsEndpoints.KeyNotFound);
        }
        var buckets = await usage.GetAsync(key.Id, chosen, ct);
        return Results.Ok(new ApiKeyUsage(key.HeronId, chosen == UsageInterval.Hour ? "hour" : "minute",
            buckets.Select(b => new ApiKeyUsageBucketEntry(b.Start, b.Accepted, b.Rejected)).ToList()));
    }
}
