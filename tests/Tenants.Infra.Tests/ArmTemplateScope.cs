using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tenants.Infra.Tests;

/// <summary>
/// One template of a compiled deployment: main.json, or a module's template nested in a Microsoft.Resources/deployments
/// resource, with the parameter values that deployment passes in. Resolves the simple expressions the checks meet
/// (<c>[parameters('x')]</c>, <c>[variables('x')]</c>) to the values they stand for where those are known.
/// </summary>
internal sealed partial class ArmTemplateScope
{
    private const string DeploymentType = "Microsoft.Resources/deployments";
    private readonly JsonElement _template;
    private readonly ArmTemplateScope? _parent;
    private readonly JsonElement? _passedParameters;

    private ArmTemplateScope(JsonElement template, ArmTemplateScope? parent, JsonElement? passedParameters, string path)
    {
        _template = template;
        _parent = parent;
        _passedParameters = passedParameters;
        Path = path;
        Resources = ReadResources(template);
    }

    /// <summary>Where this template is: <c>main</c>, <c>main/ledger-storage</c>...</summary>
    public string Path { get; }

    /// <summary>The resources deployed by this template (existing-resource references left out), array or object form.</summary>
    public IReadOnlyList<JsonElement> Resources { get; }

    public static ArmTemplateScope Root(JsonElement template) => new(template, null, null, "main");

    /// <summary>This template and every template nested in it, depth first.</summary>
    public IEnumerable<ArmTemplateScope> SelfAndDescendants()
    {
        yield return this;
        foreach (var deployment in Resources.Where(r => IsType(r, DeploymentType)))
        {
            if (!deployment.TryGetProperty("properties", out var properties)
                || !properties.TryGetProperty("template", out var template))
            {
                continue;
            }

            JsonElement? passed = properties.TryGetProperty("parameters", out var p) ? p : null;
            var name = deployment.TryGetProperty("name", out var n) ? n.ToString() : "?";
            var child = new ArmTemplateScope(template, this, passed, $"{Path}/{name}");
            foreach (var scope in child.SelfAndDescendants())
            {
                yield return scope;
            }
        }
    }

    public IEnumerable<JsonElement> OfType(string type) => Resources.Where(r => IsType(r, type));

    /// <summary>
    /// The value an expression stands for: a parameter's passed value, else its lower bound (minValue), else its default;
    /// a variable's value. Anything else is returned as it is.
    /// </summary>
    public JsonElement Resolve(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        var text = value.GetString()!;
        if (ParameterReference().Match(text) is { Success: true } parameter)
        {
            var name = parameter.Groups[1].Value;
            if (_passedParameters is { } passed && passed.TryGetProperty(name, out var given) && given.TryGetProperty("value", out var givenValue))
            {
                return _parent is null ? givenValue : _parent.Resolve(givenValue);
            }

            if (_template.TryGetProperty("parameters", out var declared) && declared.TryGetProperty(name, out var declaration))
            {
                if (declaration.TryGetProperty("minValue", out var min))
                {
                    return min;
                }

                if (declaration.TryGetProperty("defaultValue", out var fallback))
                {
                    return Resolve(fallback);
                }
            }

            return value;
        }

        if (VariableReference().Match(text) is { Success: true } variable
            && _template.TryGetProperty("variables", out var variables)
            && variables.TryGetProperty(variable.Groups[1].Value, out var variableValue))
        {
            return Resolve(variableValue);
        }

        return value;
    }

    /// <summary>Resolves a property path under a resource (e.g. <c>properties.ingress.exposedPort</c>); null when absent.</summary>
    public JsonElement? Get(JsonElement resource, string path)
    {
        var current = resource;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return Resolve(current);
    }

    /// <summary>An expression's text with every <c>variables('x')</c> that is a string replaced by that string.</summary>
    public string InlineVariables(string expression) =>
        InlineVariable().Replace(expression, match =>
            _template.TryGetProperty("variables", out var variables)
            && variables.TryGetProperty(match.Groups[1].Value, out var v)
            && Resolve(v) is { ValueKind: JsonValueKind.String } resolved
                ? $"'{resolved.GetString()}'"
                : match.Value);

    /// <summary>
    /// The segments of a resource's name (<c>account/default/ledger</c>), literal where the name expression makes them so
    /// (<c>[format('{0}/{1}', parameters('name'), 'ledger')]</c>), parameters and variables resolved where known.
    /// </summary>
    public IReadOnlyList<string> NameSegments(JsonElement resource)
    {
        if (!resource.TryGetProperty("name", out var n) || n.GetString() is not { } name)
        {
            return [string.Empty];
        }

        if (FormatCall().Match(name) is not { Success: true } format)
        {
            var resolved = Resolve(n);
            return (resolved.ValueKind == JsonValueKind.String ? resolved.GetString()! : name).Split('/');
        }

        return [.. ArmExpression.SplitArguments(format.Groups[1].Value).Skip(1).Select(ResolveSegment)];
    }

    public static bool IsType(JsonElement resource, string type) =>
        resource.TryGetProperty("type", out var t) && string.Equals(t.GetString(), type, StringComparison.OrdinalIgnoreCase);

    private string ResolveSegment(string argument)
    {
        if (ArmExpression.Literal(argument) is { } literal)
        {
            return literal;
        }

        using var document = JsonDocument.Parse(JsonSerializer.Serialize($"[{argument}]"));
        var resolved = Resolve(document.RootElement);
        return resolved.ValueKind == JsonValueKind.String ? resolved.GetString()! : resolved.ToString();
    }

    private static List<JsonElement> ReadResources(JsonElement template)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return [];
        }

        // languageVersion 2.0 keys resources by symbolic name; 1.0 has an array.
        var all = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value)
            : resources.EnumerateArray();
        return [.. all.Where(r => !(r.TryGetProperty("existing", out var e) && e.ValueKind == JsonValueKind.True))];
    }

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex InlineVariable();

    [GeneratedRegex(@"^\[format\((.*)\)\]$")]
    private static partial Regex FormatCall();
}
