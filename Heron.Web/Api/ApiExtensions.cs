using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;

namespace Heron.Web.Api;

public static class ApiExtensions
{
    public const string OpenApiPath = "/openapi/v1.json";
    public const string ReferencePath = "docs/api";
    private const string SecuritySchemeId = "ApiKey";

    public static IHostApplicationBuilder AddHeronApi(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
        });
        // Bad input is answered with the envelope, never an exception page.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);

        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Heron API",
                    Version = "2021-07-19",
                    Description = "Authenticate with the x-api-key header. Keys are 'key_' followed by 48 hexadecimal characters.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeId] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyVerifier.HeaderName,
                    Description = "A Heron API key from Settings → API Credentials.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // The create and roll bodies are read by hand (any content type is accepted), so describe them here.
                if (operation.OperationId is "CreateApiKey" or "RollApiKey")
                {
                    var create = operation.OperationId == "CreateApiKey";
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = create,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new()
                            {
                                Schema = await context.GetOrCreateSchemaAsync(
                                    create ? typeof(CreateApiKeyRequest) : typeof(RollApiKeyRequest), null, cancellationToken),
                            },
                        },
                    };
                }
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<RequiresApiKey>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    if (metadata.OfType<ApiScope>().FirstOrDefault() is { } scope)
                    {
                        operation.Description = $"Needs a key with the {scope.Name} scope (403 without it).";
                    }
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SecuritySchemeId, context.Document)] = [],
                    });
                }
            });
        });
        return builder;
    }

    /// <summary>
    /// Heron's API. The group makes <c>/api</c> default-deny: every endpoint mapped here needs a valid
    /// key unless it says <c>AllowAnonymous()</c> itself.
    /// </summary>
    public static WebApplication MapHeronApi(this WebApplication app)
    {
        app.MapGroup("/api")
            .RequireApiKey()
            .WithRateLimits()
            .MapHelloWorld()
            .MapCredentials()
            .MapEnvironments();

        app.MapOpenApi(OpenApiPath).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// The browsable API reference at <c>/docs/api</c>. Only under its own path: Swagger UI's middleware
    /// matches every request it sees against regular expressions.
    /// </summary>
    public static IApplicationBuilder UseApiReference(this IApplicationBuilder app)
    {
        var referencePath = new PathString("/" + ReferencePath);
        return app.UseWhen(context => context.Request.Path.StartsWithSegments(referencePath), reference => reference.UseSwaggerUI(options =>
        {
            options.RoutePrefix = ReferencePath;
            options.DocumentTitle = "Heron API reference";
            options.SwaggerEndpoint(OpenApiPath, "Heron API");
            // Heron's fixes for Swagger UI's contrast and unnamed controls (WCAG 2.1 AA, as every page of the site).
            options.InjectStylesheet("/css/api-reference.css");
            options.InjectJavascript("/js/api-reference.js");
        }));
    }
}
