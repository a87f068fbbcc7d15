using System.Reflection;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace Tenants.Api.OpenApi;

/// <summary>
/// Builds the OpenAPI paths from the FastEndpoints endpoints themselves (route, verbs, summary, request and response
/// types, permission), since FastEndpoints' own Swagger package is not used. Route and query parameters come from the
/// request type's properties, a POST body from the whole type; every operation documents its problem responses.
/// </summary>
internal sealed class FastEndpointsDocumentTransformer(EndpointDataSource endpoints) : IOpenApiDocumentTransformer
{
    private const string ProblemSchema = "ProblemDetails";

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Tenants API",
            Version = "v1",
            Description = "Audit trail, ledger verification and export of a tenant. Errors are RFC 7807 problem details.",
        };
        document.Paths ??= [];
        document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellationToken));
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<EndpointDefinition>() is not { } definition || endpoint.RoutePattern.RawText is not { } route)
            {
                continue;
            }

            var path = "/" + route.TrimStart('/');
            if (!document.Paths.TryGetValue(path, out var item) || item is not OpenApiPathItem pathItem)
            {
                pathItem = new OpenApiPathItem();
                document.Paths[path] = pathItem;
            }

            pathItem.Operations ??= [];
            foreach (var verb in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                pathItem.Operations[HttpMethod.Parse(verb)] = await OperationAsync(document, context, endpoint, definition, verb, path, cancellationToken);
            }
        }
    }

    private static async Task<OpenApiOperation> OperationAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, RouteEndpoint endpoint, EndpointDefinition definition,
        string verb, string path, CancellationToken ct)
    {
        var summary = definition.EndpointSummary;
        var operation = new OpenApiOperation
        {
            OperationId = definition.EndpointType.FullName!.Replace("Tenants.Api.Features.", string.Empty, StringComparison.Ordinal).Replace(".Endpoint", string.Empty, StringComparison.Ordinal).Replace('.', '_'),
            Summary = summary?.Summary,
            Description = summary?.Description,
            Tags = new HashSet<OpenApiTagReference> { new(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(2).FirstOrDefault() ?? "well-known", document) },
            Parameters = [],
            Responses = [],
        };
        var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
        var permission = endpoint.Metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
        if (!anonymous)
        {
            operation.Description = $"{operation.Description} Requires an API key (Authorization: Bearer) with the permission of this operation.".Trim();
        }

        var requestType = definition.ReqDtoType;
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in routeNames)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = await context.GetOrCreateSchemaAsync(typeof(string), null, ct),
            });
        }

        if (requestType is not null && requestType != typeof(EmptyRequest))
        {
            if (verb is "POST" or "PUT" or "PATCH")
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = false,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await SchemaAsync(document, context, requestType, ct) },
                    },
                };
            }
            else
            {
                foreach (var property in requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => !routeNames.Contains(p.Name)))
                {
                    var name = property.GetCustomAttribute<BindFromAttribute>()?.Name ?? JsonName(property.Name);
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = name,
                        In = ParameterLocation.Query,
                        Required = false,
                        Schema = await context.GetOrCreateSchemaAsync(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, null, ct),
                    });
                }
            }
        }

        var success = summary?.Responses.Keys.FirstOrDefault(code => code is >= 200 and < 300) is { } code and not 0 ? code : StatusCodes.Status200OK;
        var response = new OpenApiResponse { Description = summary?.Responses.GetValueOrDefault(success) ?? "Success." };
        if (definition.ResDtoType is { } responseType && responseType != typeof(object) && responseType != typeof(EmptyResponse))
        {
            response.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = await SchemaAsync(document, context, responseType, ct) },
            };
        }

        operation.Responses[success.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        var problems = new List<(int, string)> { (400, "Malformed request: bad JSON, a wrong type, an unknown field or a value out of range.") };
        if (!anonymous)
        {
            problems.Add((401, "No API key, or an unknown one."));
            problems.Add((403, $"The key lacks the permission{(permission is null ? string.Empty : $" '{permission}'")}."));
        }

        if (routeNames.Count > 0)
        {
            problems.Add((404, "No such resource in the caller's tenant (another tenant's ids are unknown too)."));
        }

        foreach (var (status, text) in summary?.Responses.Where(r => r.Key >= 400).Select(r => (r.Key, r.Value)) ?? [])
        {
            problems.Add((status, text));
        }

        problems.Add((413, "The body is over the limit (Api:Requests:MaxBodyBytes)."));
        problems.Add((500, "An unexpected error; the problem carries a traceId."));
        problems.Add((503, "A part of the platform is down; retry after Retry-After seconds."));
        foreach (var (status, text) in problems.DistinctBy(p => p.Item1))
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = text,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
                },
            };
        }

        return operation;
    }

    private static async Task<IOpenApiSchema> SchemaAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, Type type, CancellationToken ct)
    {
        var name = type.Name;
        if (document.Components?.Schemas?.ContainsKey(name) != true)
        {
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }

        return new OpenApiSchemaReference(name, document);
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
