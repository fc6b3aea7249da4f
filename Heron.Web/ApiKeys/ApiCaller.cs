using System.Reflection;
using System.Security.Claims;
using Heron.Web.Audit;
using Heron.Web.Organizations;

namespace Heron.Web.ApiKeys;

/// <summary>
/// The organization, realm and key a request authenticated with. Endpoints behind the <c>x-api-key</c>
/// marker take it as a parameter; it is only ever set by <see cref="ApiKeyMiddleware"/>.
/// </summary>
public sealed record ApiCaller(VerifiedApiKey Key)
{
    public const string AuthenticationType = "ApiKey";

    public ClaimsPrincipal Principal { get; } = new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Key.HeronId),
            new Claim("heron:organization", Key.OrganizationSlug),
            new Claim("heron:environment", Key.RealmKind.ToString()),
        ],
        AuthenticationType));

    public int OrganizationId => Key.OrganizationId;
    public string OrganizationSlug => Key.OrganizationSlug;
    public int RealmId => Key.RealmId;
    public RealmKind RealmKind => Key.RealmKind;

    public Actor Actor(HttpContext context) =>
        new(ActorKind.ApiKey, $"API key {Key.TokenPrefix}… ({Key.HeronId})", Common.ClientAddress.Of(context));

    public static ValueTask<ApiCaller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<ApiCaller?>(context.Features.Get<ApiCaller>()
            ?? throw new InvalidOperationException($"{parameter.Member.Name} needs a valid x-api-key; the endpoint is missing RequireApiKey()."));
}
