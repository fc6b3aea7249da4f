using Microsoft.AspNetCore.WebUtilities;

namespace Heron.Web.Api;

/// <summary>Heron's error envelope: <c>{"code": 404, "description": "…", "name": "Not Found"}</c>.</summary>
/// <param name="Description">A sentence, or for field validation an object keyed by location then field.</param>
public sealed record ErrorEnvelope(int Code, object Description, string Name);

public static class ApiError
{
    public const string InternalErrorDescription =
        "Something went wrong - sorry about that! If you continue having issues please email support@herondata.io.";

    public static ErrorEnvelope Envelope(int status, object description) => new(status, description, NameOf(status));

    public static IResult Result(int status, object description) =>
        Results.Json(Envelope(status, description), statusCode: status);

    public static Task WriteAsync(HttpContext context, int status, object description)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(Envelope(status, description));
    }

    /// <summary>Writes an envelope serialized in advance (with the API's JSON settings), for answers repeated verbatim.</summary>
    public static Task WriteSerializedAsync(HttpContext context, int status, byte[] envelope)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = envelope.Length;
        return context.Response.Body.WriteAsync(envelope).AsTask();
    }

    /// <summary>A one-field validation error in the contract's shape: <c>{"json": {"name": {"_schema": [msg]}}}</c>.</summary>
    public static Dictionary<string, Dictionary<string, Dictionary<string, string[]>>> FieldErrors(
        IEnumerable<KeyValuePair<string, string>> errors) =>
        new()
        {
            ["json"] = errors.GroupBy(e => e.Key).ToDictionary(
                g => g.Key,
                g => new Dictionary<string, string[]> { ["_schema"] = g.Select(e => e.Value).ToArray() }),
        };

    /// <summary>The reason phrases of Heron's contract (RFC 9110 renamed 422; clients match on the old name).</summary>
    public static string NameOf(int status) => status switch
    {
        StatusCodes.Status422UnprocessableEntity => "Unprocessable Entity",
        StatusCodes.Status413PayloadTooLarge => "Request Entity Too Large",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };

    public static string DefaultDescription(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be understood.",
        StatusCodes.Status404NotFound => "The requested URL was not found on the server. Check the path against Heron's API reference at /docs/api.",
        StatusCodes.Status405MethodNotAllowed => "The method is not allowed for the requested URL.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "The request body's media type is not supported.",
        >= 500 => InternalErrorDescription,
        _ => NameOf(status) + ".",
    };
}
