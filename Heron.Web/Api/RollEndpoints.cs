using System.Text.Json;
using Heron.Web.ApiKeys;

namespace Heron.Web.Api;

/// <summary><c>POST /api/credentials/keys/{heron_id}/roll</c>: a new key in place of an old one, which keeps working for a grace period.</summary>
public static class RollEndpoints
{
    private static readonly HashSet<string> Fields = ["grace_period_seconds"];

    public static RouteGroupBuilder MapRoll(this RouteGroupBuilder keys)
    {
        keys.MapPost("/{heron_id}/roll", RollAsync)
            .RequireScope(ApiScopes.CredentialsWrite)
            .WithName("RollApiKey")
            .WithSummary("Replace an API key with a new one of the same name, scopes and allowlist; the old one works until the grace period ends")
            .Produces<ApiKeyCreated>(StatusCodes.Status201Created)
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status403Forbidden)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        return keys;
    }

    private static async Task<IResult> RollAsync(string heron_id, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(context.Request, """{"grace_period_seconds": 3600}""", ct, emptyIsObject: true);
        if (body.Error is not null)
        {
            return body.Error;
        }
        var errors = new List<KeyValuePair<string, string>>();
        JsonBody.RejectUnknownFields(body.Object!.Value, Fields, errors);
        var grace = 0;
        if (body.Object.Value.TryGetProperty("grace_period_seconds", out var value)
            && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out grace) || grace is < 0 or > KeyControls.MaxGracePeriodSeconds))
        {
            errors.Add(new("grace_period_seconds", $"Must be a whole number of seconds from 0 to {KeyControls.MaxGracePeriodSeconds} (7 days)."));
        }
        if (errors.Count > 0)
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, ApiError.FieldErrors(errors));
        }

        var old = await service.FindAsync(caller.RealmId, heron_id, ct);
        if (old is null)
        {
            return ApiError.Result(StatusCodes.Status404NotFound, CredentialsEndpoints.KeyNotFound);
        }
        if (CredentialsEndpoints.Escalation(caller, ApiScopes.FromStored(old.Scopes)) is { } refused)
        {
            return refused;
        }
        return await service.RollAsync(caller.RealmId, heron_id, TimeSpan.FromSeconds(grace), caller.Actor(context), ct) is { } rolled
            ? CredentialsEndpoints.Created(context, rolled.Replacement)
            : ApiError.Result(StatusCodes.Status404NotFound, CredentialsEndpoints.KeyNotFound);
    }
}
