using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>Assertions on Heron's error envelope: <c>{"code": 404, "description": "…", "name": "Not Found"}</c>.</summary>
public static class ApiAssert
{
    /// <summary>Asserts the status, the JSON content type and the envelope's exact shape; returns <c>description</c>.</summary>
    public static async Task<JsonElement> EnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string name)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Envelope(await response.Content.ReadAsStringAsync(), (int)status, name);
    }

    public static JsonElement Envelope(RawResponse response, int status, string name)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/json", response.ContentType);
        return Envelope(response.Body, status, name);
    }

    /// <summary>The envelope with a human sentence as its description; returns the sentence.</summary>
    public static async Task<string> SentenceEnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string name) =>
        Sentence(await EnvelopeAsync(response, status, name));

    public static string SentenceEnvelope(RawResponse response, int status, string name) =>
        Sentence(Envelope(response, status, name));

    /// <summary>400 with a field-validation description in the contract's shape: <c>{"json": {field: {"_schema": [message]}}}</c>.</summary>
    public static async Task ValidationErrorAsync(HttpResponseMessage response, string field, string message)
    {
        var description = await EnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
        var expected = new JsonObject { ["json"] = new JsonObject { [field] = new JsonObject { ["_schema"] = new JsonArray(message) } } };
        var actual = JsonNode.Parse(description.GetRawText());
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected description {expected.ToJsonString()}, got {description.GetRawText()}");
    }

    /// <summary>The property names of a JSON object, sorted ordinally.</summary>
    public static string[] FieldNames(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    private static JsonElement Envelope(string body, int status, string name)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["code", "description", "name"], FieldNames(root));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("code").ValueKind);
        Assert.Equal(status, root.GetProperty("code").GetInt32());
        Assert.Equal(name, root.GetProperty("name").GetString());
        return root.GetProperty("description").Clone();
    }

    private static string Sentence(JsonElement description)
    {
        Assert.Equal(JsonValueKind.String, description.ValueKind);
        var text = description.GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(text), "The envelope's description is empty.");
        return text;
    }
}
