using Heron.Web.ApiKeys;
using Heron.Web.Common;

namespace Heron.Web.Api;

/// <summary>
/// <c>/api/credentials/keys</c>: a key manages the keys of its own credential set (organization and realm).
/// A <c>heron_id</c> from anywhere else answers 404, exactly like one that never existed.
/// </summary>
public static class CredentialsEndpoints
{
    internal const string KeyNotFound = "Key not found";
    private static readonly HashSet<string> CreateFields = ["name", .. KeyControlsBody.Fields];

    public static RouteGroupBuilder MapCredentials(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/credentials/keys").WithTags("Credentials")
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ErrorEnvelope), ["application/json"]));

        keys.MapGet("", ListAsync)
            .RequireScope(ApiScopes.CredentialsRead)
            .WithName("ListApiKeys")
            .WithSummary("List the API keys of the calling key's credential set");

        keys.MapPost("", CreateAsync)
            .RequireScope(ApiScopes.CredentialsWrite)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key; the token is returned in this response only")
            .Produces<ApiKeyCreated>(StatusCodes.Status201Created)
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest);

        keys.MapRoll();
        keys.MapUsage();

        keys.MapDelete("/{heron_id}", DeleteAsync)
            .RequireScope(ApiScopes.CredentialsWrite)
            .WithName("DeleteApiKey")
            .WithSummary("Delete an API key for good")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);

        keys.MapPut("/{heron_id}/deactivate", (string heron_id, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct) =>
                SetActiveAsync(heron_id, active: false, caller, service, context, ct))
            .RequireScope(ApiScopes.CredentialsWrite)
            .WithName("DeactivateApiKey")
            .WithSummary("Deactivate an API key: requests with it are rejected from the next one on")
            .Produces<ApiKeyStatus>(StatusCodes.Status200OK)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);

        keys.MapPut("/{heron_id}/activate", (string heron_id, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct) =>
                SetActiveAsync(heron_id, active: true, caller, service, context, ct))
            .RequireScope(ApiScopes.CredentialsWrite)
            .WithName("ActivateApiKey")
            .WithSummary("Reactivate a deactivated API key")
            .Produces<ApiKeyStatus>(StatusCodes.Status200OK)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<ApiKeyList> ListAsync(ApiCaller caller, ApiKeyService service, CancellationToken ct)
    {
        var keys = await service.ListAsync(caller.RealmId, ct);
        return new ApiKeyList(keys
            .Select(k => new ApiKeyWithLastUsed(k.CreatedAt, k.HeronId, k.IsActive, k.LastUsedAt, k.Name, k.TokenPrefix,
                k.ExpiresAt, ApiScopes.Names(ApiScopes.FromStored(k.Scopes)), IpAllowlist.FromStored(k.AllowedIps).Entries))
            .ToList());
    }

    private static async Task<IResult> CreateAsync(ApiCaller caller, ApiKeyService service, TimeProvider clock, HttpContext context, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(context.Request, """{"name": "CI pipeline"}""", ct);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var errors = new List<KeyValuePair<string, string>>();
        JsonBody.RejectUnknownFields(body.Object!.Value, CreateFields, errors);
        var rawName = JsonBody.RequiredString(body.Object.Value, "name", errors);
        string name = "";
        if (rawName is not null && ApiKeyName.Validate(rawName, out name) is { } problem)
        {
            errors.Add(new("name", problem));
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var controls = KeyControlsBody.Read(body.Object.Value, now, errors);
        if (await service.MaxLifetimeAsync(caller.RealmId, ct) is { } max)
        {
            // The realm has a maximum key lifetime: a key asked for without an expiry gets the longest allowed;
            // one asked to never expire, or to outlive the limit, is refused.
            if (!body.Object.Value.TryGetProperty("expires_at", out _))
            {
                controls = controls with { ExpiresAt = KeyControls.ToTheSecond(now + max) };
            }
            else if (!errors.Any(e => e.Key == "expires_at") && ApiKeyService.LifetimeProblem(controls.ExpiresAt, max, now) is { } tooLong)
            {
                errors.Add(new("expires_at", tooLong));
            }
        }
        if (errors.Count > 0)
        {
            return ApiError.Result(StatusCodes.Status400BadRequest, ApiError.FieldErrors(errors));
        }
        if (Escalation(caller, controls.Scopes) is { } refused)
        {
            return refused;
        }

        try
        {
            return Created(context, await service.CreateAsync(caller.RealmId, name, controls, caller.Actor(context), ct));
        }
        catch (HeronRuleException ex)
        {
            // An operator set the realm's limit since it was read above.
            return ApiError.Result(StatusCodes.Status400BadRequest, ApiError.FieldErrors([new("expires_at", ex.Message)]));
        }
    }

    /// <summary>A key can never hand out a scope it lacks itself: 403 naming the first one.</summary>
    internal static IResult? Escalation(ApiCaller caller, ApiScopeSet wanted) =>
        ApiScopes.All.FirstOrDefault(s => wanted.HasFlag(s.Flag) && !caller.Key.Scopes.HasFlag(s.Flag)) is { } lacking
            ? ApiError.Result(StatusCodes.Status403Forbidden,
                $"This key lacks the {lacking.Name} scope, so it cannot issue a key that has it. Ask for fewer scopes, or use a key that has it.")
            : null;

    internal static IResult Created(HttpContext context, IssuedApiKey issued)
    {
        var (key, token) = issued;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(
            new ApiKeyCreated(key.CreatedAt, key.HeronId, key.IsActive, key.Name, token, key.TokenPrefix,
                key.ExpiresAt, ApiScopes.Names(ApiScopes.FromStored(key.Scopes)), IpAllowlist.FromStored(key.AllowedIps).Entries),
            statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteAsync(string heron_id, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct) =>
        await service.DeleteAsync(caller.RealmId, heron_id, caller.Actor(context), ct)
            ? Results.NoContent()
            : ApiError.Result(StatusCodes.Status404NotFound, KeyNotFound);

    private static async Task<IResult> SetActiveAsync(string heronId, bool active, ApiCaller caller, ApiKeyService service, HttpContext context, CancellationToken ct) =>
        await service.SetActiveAsync(caller.RealmId, heronId, active, caller.Actor(context), ct) is { } key
            ? Results.Ok(new ApiKeyStatus(key.HeronId, key.IsActive))
            : ApiError.Result(StatusCodes.Status404NotFound, KeyNotFound);
}
