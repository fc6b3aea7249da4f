using System.Text.Json;

namespace Heron.Web.Api;

/// <summary>
/// Reads a small JSON object body strictly: bounded size, no duplicate properties, no unknown fields,
/// strings where strings are due. Each problem comes back in the contract's validation shape.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public sealed record Result(JsonElement? Object, IResult? Error);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <param name="emptyIsObject">An empty body reads as <c>{}</c>: for requests whose every field is optional.</param>
    public static async Task<Result> ReadObjectAsync(HttpRequest request, string example, CancellationToken cancellationToken, bool emptyIsObject = false)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return new(null, ApiError.Result(StatusCodes.Status413PayloadTooLarge,
                    $"The request body is larger than {MaxBytes / 1024} KiB."));
            }
            buffer.Write(chunk, 0, read);
        }

        var shapeError = $"The request body must be a JSON object, for example {example}.";
        if (buffer.Length == 0 && emptyIsObject)
        {
            return new(EmptyObject, null);
        }
        if (buffer.Length == 0)
        {
            return new(null, ApiError.Result(StatusCodes.Status400BadRequest, shapeError));
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new(document.RootElement.Clone(), null)
                : new(null, ApiError.Result(StatusCodes.Status400BadRequest, shapeError));
        }
        catch (JsonException)
        {
            return new(null, ApiError.Result(StatusCodes.Status400BadRequest,
                $"The request body is not valid JSON (or repeats a field). Send a JSON object, for example {example}."));
        }
    }

    /// <summary>Reads a required string field; problems are added to <paramref name="errors"/>.</summary>
    public static string? RequiredString(JsonElement body, string field, List<KeyValuePair<string, string>> errors)
    {
        if (!body.TryGetProperty(field, out var value))
        {
            errors.Add(new(field, "Missing data for required field."));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(field, "Not a valid string."));
            return null;
        }
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // Lone surrogates in escapes are not text.
            errors.Add(new(field, "Not a valid string."));
            return null;
        }
    }

    public static void RejectUnknownFields(JsonElement body, IReadOnlySet<string> known, List<KeyValuePair<string, string>> errors)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(new(property.Name, "Unknown field."));
            }
        }
    }
}
