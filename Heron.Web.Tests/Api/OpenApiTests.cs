using System.Net;
using System.Text.Json;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Api;

/// <summary>The published OpenAPI document and the browsable API reference.</summary>
public sealed class OpenApiTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private static readonly (string Method, string Path, bool Authenticated)[] Operations =
    [
        ("get", "/api/hello_world", false),
        ("get", "/api/hello_world/authenticated", true),
        ("get", "/api/credentials/keys", true),
        ("post", "/api/credentials/keys", true),
        ("delete", "/api/credentials/keys/{heron_id}", true),
        ("put", "/api/credentials/keys/{heron_id}/deactivate", true),
        ("put", "/api/credentials/keys/{heron_id}/activate", true),
        ("get", "/api/auth/environments", true),
        ("post", "/api/credentials/keys/{heron_id}/roll", true),
        ("get", "/api/credentials/keys/{heron_id}/usage", true),
    ];

    [Fact]
    public async Task The_document_declares_the_x_api_key_header_scheme()
    {
        using var document = await GetDocumentAsync();

        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        var scheme = Assert.Single(schemes.EnumerateObject()).Value;
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("x-api-key", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_document_lists_exactly_the_api_operations()
    {
        using var document = await GetDocumentAsync();

        var listed = document.RootElement.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/api", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => op.Name is "get" or "put" or "post" or "delete" or "patch" or "head" or "options")
                .Select(op => $"{op.Name} {path.Name}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Operations.Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task Authenticated_operations_require_the_key_and_hello_world_does_not()
    {
        using var document = await GetDocumentAsync();
        var schemeName = Assert.Single(document.RootElement.GetProperty("components").GetProperty("securitySchemes").EnumerateObject()).Name;
        var paths = document.RootElement.GetProperty("paths");

        foreach (var (method, path, authenticated) in Operations)
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            var required = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(requirement => requirement.EnumerateObject().Select(p => p.Name)).ToList()
                : [];
            if (authenticated)
            {
                Assert.True(required.Contains(schemeName), $"{method} {path} does not require {schemeName}.");
            }
            else
            {
                Assert.True(required.Count == 0, $"{method} {path} should need no key but requires {string.Join(", ", required)}.");
            }
        }
    }

    [Theory]
    [InlineData("get", "/api/hello_world", "200", "HelloWorld")]
    [InlineData("get", "/api/hello_world/authenticated", "200", "AuthenticatedHelloWorld")]
    [InlineData("get", "/api/credentials/keys", "200", "ApiKeyList")]
    [InlineData("post", "/api/credentials/keys", "201", "ApiKeyCreated")]
    [InlineData("put", "/api/credentials/keys/{heron_id}/deactivate", "200", "ApiKeyStatus")]
    [InlineData("put", "/api/credentials/keys/{heron_id}/activate", "200", "ApiKeyStatus")]
    [InlineData("get", "/api/auth/environments", "200", "EnvironmentsResponse")]
    public async Task Each_operation_documents_its_success_response_schema(string method, string path, string status, string schema)
    {
        using var document = await GetDocumentAsync();

        var responses = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.True(responses.TryGetProperty(status, out var success), $"{method} {path} does not document its {status} response.");
        var reference = success.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString();
        Assert.Equal($"#/components/schemas/{schema}", reference);
    }

    [Fact]
    public async Task Delete_documents_204_and_key_operations_document_404_with_the_envelope()
    {
        using var document = await GetDocumentAsync();
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/credentials/keys/{heron_id}").GetProperty("delete").GetProperty("responses").TryGetProperty("204", out _));
        foreach (var (method, path) in new[] { ("delete", "/api/credentials/keys/{heron_id}"), ("put", "/api/credentials/keys/{heron_id}/deactivate"), ("put", "/api/credentials/keys/{heron_id}/activate") })
        {
            var notFound = paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty("404");
            Assert.Equal("#/components/schemas/ErrorEnvelope",
                notFound.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        }
    }

    [Theory]
    [InlineData("ApiKeyWithLastUsed", new[] { "allowed_ips", "created", "expires_at", "heron_id", "is_active", "last_used", "name", "scopes", "token_prefix" })]
    [InlineData("ApiKeyCreated", new[] { "allowed_ips", "created", "expires_at", "heron_id", "is_active", "name", "scopes", "token", "token_prefix" })]
    [InlineData("ApiKeyStatus", new[] { "heron_id", "is_active" })]
    [InlineData("ErrorEnvelope", new[] { "code", "description", "name" })]
    public async Task The_schemas_use_the_contracts_snake_case_fields(string schema, string[] fields)
    {
        using var document = await GetDocumentAsync();
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        Assert.True(schemas.TryGetProperty(schema, out var definition), $"The document has no {schema} schema.");
        Assert.Equal(fields, ApiAssert.FieldNames(definition.GetProperty("properties")));
    }

    [Fact]
    public async Task The_create_operation_documents_its_json_body()
    {
        using var document = await GetDocumentAsync();

        var body = document.RootElement.GetProperty("paths").GetProperty("/api/credentials/keys").GetProperty("post").GetProperty("requestBody");

        Assert.True(body.GetProperty("required").GetBoolean());
        var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["allowed_ips", "expires_at", "name", "scopes"], ApiAssert.FieldNames(schema.GetProperty("properties")));
    }

    [Theory]
    [InlineData("/api/credentials/keys", "get", "credentials:read")]
    [InlineData("/api/credentials/keys", "post", "credentials:write")]
    [InlineData("/api/credentials/keys/{heron_id}/roll", "post", "credentials:write")]
    [InlineData("/api/auth/environments", "get", "credentials:read")]
    [InlineData("/api/credentials/keys/{heron_id}/usage", "get", "credentials:read")]
    public async Task Each_operation_says_which_scope_it_needs(string path, string method, string scope)
    {
        using var document = await GetDocumentAsync();
        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.Contains($"the {scope} scope", operation.GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_roll_operation_documents_its_optional_json_body()
    {
        using var document = await GetDocumentAsync();
        var body = document.RootElement.GetProperty("paths").GetProperty("/api/credentials/keys/{heron_id}/roll").GetProperty("post").GetProperty("requestBody");
        Assert.False(body.TryGetProperty("required", out var required) && required.GetBoolean());
        var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["grace_period_seconds"], ApiAssert.FieldNames(schema.GetProperty("properties")));
    }

    [Fact]
    public async Task The_api_reference_page_is_served_as_html()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/docs/api/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private async Task<JsonDocument> GetDocumentAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
