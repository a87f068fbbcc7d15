using System.Text.Json;
using Tenants.Policy.Classification;

namespace Tenants.Policy.Rules;

/// <summary>
/// Reads a policy document into compiled rules, collecting every problem with its JSON path. The walk follows the
/// document's order, so the same document always gives the same problems in the same order.
/// </summary>
internal sealed partial class PolicyDocumentReader
{
    public const int MaxIdLength = 100;

    public static IReadOnlyList<string> Effects { get; } = ["deny", "require-grant", "mask", "redact", "limit"];

    public static IReadOnlyList<string> Kinds { get; } = ["read", "write", "ddl", "dcl", "tcl", "other", "unknown"];

    public static IReadOnlyList<string> Roles { get; } = ["owner", "admin", "auditor", "developer"];

    private static readonly string[] TopLevel = ["version", "description", "rules"];

    private static readonly string[] ScopeFields = ["endpoints", "databaseUsers", "persons", "roles", "when"];

    private static readonly string[] StatementFields = ["kinds", "commands", "relations", "schemas", "missingWhere", "dataModifyingCte", "unparsed"];

    private readonly List<PolicyProblem> _problems = [];

    public IReadOnlyList<PolicyProblem> Problems => _problems;

    public List<CompiledRule>? Read(string document)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document, new JsonDocumentOptions { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            Problem(ex.Path is { Length: > 0 } p ? p : "$", $"not well-formed JSON: {ex.Message}");
            return null;
        }

        using (parsed)
        {
            return ReadDocument(parsed.RootElement);
        }
    }

    private List<CompiledRule>? ReadDocument(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("$", $"a policy document is a JSON object, not {Describe(root)}");
            return null;
        }

        UnknownFields(root, "$", TopLevel, "a policy document has");
        if (root.TryGetProperty("version", out var version) && version.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            Problem("$.version", $"version must be a number or a string, not {Describe(version)}");
        }

        OptionalString(root, "description", "$", 10_000);
        if (!root.TryGetProperty("rules", out var rules))
        {
            Problem("$.rules", "rules is required (an array of rules, possibly empty)");
            return null;
        }

        if (rules.ValueKind != JsonValueKind.Array)
        {
            Problem("$.rules", $"rules must be an array, not {Describe(rules)}");
            return null;
        }

        var compiled = new List<CompiledRule>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            var path = $"$.rules[{index}]";
            if (rule.ValueKind != JsonValueKind.Object)
            {
                Problem(path, $"a rule must be an object, not {Describe(rule)}");
            }
            else if (ReadRule(rule, path, index, ids) is { } r)
            {
                compiled.Add(r);
            }

            index++;
        }

        return _problems.Count == 0 ? compiled : null;
    }

    private CompiledRule? ReadRule(JsonElement rule, string path, int index, Dictionary<string, int> ids)
    {
        var before = _problems.Count;
        var id = RuleId(rule, path, index, ids);
        var effectText = rule.TryGetProperty("effect", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        RuleEffect? effect = effectText switch
        {
            "deny" => RuleEffect.Deny,
            "require-grant" => RuleEffect.RequireGrant,
            "mask" => RuleEffect.Mask,
            "redact" => RuleEffect.Redact,
            "limit" => RuleEffect.Limit,
            _ => null,
        };
        if (effect is null)
        {
            Problem($"{path}.effect", e.ValueKind == JsonValueKind.Undefined
                ? $"effect is required: one of {string.Join(", ", Effects)}"
                : $"effect {Show(e)} is not one of {string.Join(", ", Effects)}");
        }

        string[] allowed = [.. (string[])["id", "effect", "description"], .. ScopeFields, .. StatementFields, .. EffectFields(effect)];
        UnknownFields(rule, path, allowed, effect is null ? "a rule has" : $"a {effectText} rule has");
        OptionalString(rule, "description", path, 2_000);

        var endpoints = NameSet(rule, "endpoints", path);
        var users = NameSet(rule, "databaseUsers", path);
        var persons = NameSet(rule, "persons", path);
        var roles = Vocabulary(rule, "roles", path, Roles, "role");
        var windows = Windows(rule, path);
        var kinds = Vocabulary(rule, "kinds", path, Kinds, "kind");
        var commands = Commands(rule, path);
        var relations = Relations(rule, path);
        var schemas = NameSet(rule, "schemas", path);
        var missingWhere = TrueFlag(rule, "missingWhere", path);
        var dataModifyingCte = TrueFlag(rule, "dataModifyingCte", path);
        var unparsed = TrueFlag(rule, "unparsed", path);
        var hasStatementCondition = StatementFields.Any(f => rule.TryGetProperty(f, out _));

        var kindBits = 0;
        foreach (var kind in kinds ?? [])
        {
            kindBits |= CompiledRule.KindBit(Enum.Parse<StatementClass>(kind, ignoreCase: true));
        }

        var draft = new EffectDraft(id ?? "", path, hasStatementCondition);
        switch (effect)
        {
            case RuleEffect.Deny:
                if (!hasStatementCondition)
                {
                    Problem(path, $"a deny rule needs at least one statement condition ({string.Join(", ", StatementFields)}); "
                        + "to deny every statement in its scope, list every kind");
                }

                draft = draft with { Denial = Denial(rule, path, id, $"denied by policy rule '{id}'") };
                break;
            case RuleEffect.RequireGrant:
                draft = draft with
                {
                    Denial = Denial(rule, path, id,
                        $"policy rule '{id}' requires an approved access grant for this endpoint; request one with POST /api/v1/access-requests"),
                };
                break;
            case RuleEffect.Mask:
                draft = draft with { Masks = Columns(rule, path, id ?? "") };
                break;
            case RuleEffect.Redact:
                RedactValues(rule, path);
                break;
            case RuleEffect.Limit:
                draft = ReadLimit(rule, draft);
                break;
        }

        if (_problems.Count != before || effect is null || id is null)
        {
            return null;
        }

        return new CompiledRule
        {
            Info = new PolicyRuleInfo(index, id, effectText!, effect != RuleEffect.Limit || draft.MaxRows is not null),
            Effect = effect.Value,
            Endpoints = endpoints,
            DatabaseUsers = users,
            Persons = persons?.Contains("*") == true ? null : persons,
            AnyPerson = persons?.Contains("*") == true,
            Roles = roles,
            Windows = windows,
            Kinds = kindBits,
            Commands = commands,
            Relations = relations,
            Schemas = schemas,
            MissingWhere = missingWhere,
            DataModifyingCte = dataModifyingCte,
            Unparsed = unparsed,
            Denial = draft.Denial,
            Masks = draft.Masks,
            MaxRows = draft.MaxRows,
            StatementsPerSecond = draft.StatementsPerSecond,
            ConcurrentSessions = draft.ConcurrentSessions,
        };
    }

    private static string[] EffectFields(RuleEffect? effect) => effect switch
    {
        RuleEffect.Deny or RuleEffect.RequireGrant => ["message"],
        RuleEffect.Mask => ["columns"],
        RuleEffect.Redact => ["values"],
        RuleEffect.Limit => ["maxRows", "statementsPerSecond", "concurrentSessions"],
        _ => ["message", "columns", "values", "maxRows", "statementsPerSecond", "concurrentSessions"],
    };

    private string? RuleId(JsonElement rule, string path, int index, Dictionary<string, int> ids)
    {
        if (!rule.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= MaxIdLength } text
            || text.Any(char.IsControl) || text != text.Trim())
        {
            Problem($"{path}.id", $"id is required: a string of 1-{MaxIdLength} characters without control characters or surrounding spaces");
            return null;
        }

        if (ids.TryGetValue(text, out var first))
        {
            Problem($"{path}.id", $"id '{text}' is already used by $.rules[{first}]; rule ids must be unique");
            return null;
        }

        ids[text] = index;
        return text;
    }

    private sealed record EffectDraft(string Id, string Path, bool HasStatementCondition)
    {
        public StatementVerdict? Denial { get; init; }

        public ColumnMask[] Masks { get; init; } = [];

        public long? MaxRows { get; init; }

        public double? StatementsPerSecond { get; init; }

        public int? ConcurrentSessions { get; init; }
    }
}
