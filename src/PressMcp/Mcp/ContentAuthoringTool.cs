using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Content.Abilities;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// <c>wpcom-mcp-content-authoring</c>, WordPress.com's one tool for writes: <c>list</c> the operations the caller may
/// use on a site, <c>describe</c> one (its input and output schema and hints), <c>execute</c> one. Each operation is
/// one ability and runs through <see cref="AbilityInvoker"/>, so permission, MCP settings, validation and the
/// activity log (tool: this tool; ability: the operation's) are the operation's own. A write runs only with
/// <c>user_confirmed: true</c>; without it the call is checked (arguments, site, every permission layer) and the
/// agent is told to ask the user, and nothing is written.
/// </summary>
internal sealed class ContentAuthoringTool(AbilityCatalogue catalogue, AbilityInvoker invoker, CallerAccess access, WpcomResults results)
{
    public const string Name = "wpcom-mcp-content-authoring";
    private const string Confirmed = "user_confirmed";

    /// <summary>Operation names as WordPress.com spells them (resource.action), each with the ability it runs by default.</summary>
    public static readonly IReadOnlyList<(string Operation, string Ability)> Operations = [.. AuthoringOperations.All.Select(o => (o.Name, o.Ability))];

    private static readonly string InputSchemaText = $$$$"""
        {"type":"object","additionalProperties":false,"required":["action"],"properties":{
          {{{{AbilitySchema.SitePropertyText}}}},
          "action":{"type":"string","enum":["list","describe","execute"],"description":"list: the operations you may use on the site; describe: one operation's schemas; execute: run one"},
          "operation":{"type":"string","enum":[{{{{string.Join(",", Operations.Select(o => $"\"{o.Operation}\""))}}}}],"description":"For describe and execute"},
          "params":{"type":"object","description":"For execute: the operation's input (describe shows it), without wpcom_site"},
          "user_confirmed":{"type":"boolean","description":"Required true for every write: describe the change to the user, ask them, and pass their confirmation here"}}}
        """;

    private const string OutputSchemaText = """
        {"type":"object","required":["action"],"properties":{
          "action":{"type":"string","enum":["list","describe","execute"]},
          "site":{"type":"object","required":["id","slug"],"properties":{"id":{"type":"integer"},"slug":{"type":"string"}}},
          "operations":{"type":"array","items":{"type":"object","required":["operation","label","description","read_only","destructive","needs_confirmation"],"properties":{
            "operation":{"type":"string"},"label":{"type":"string"},"description":{"type":"string"},
            "read_only":{"type":"boolean"},"destructive":{"type":"boolean"},"needs_confirmation":{"type":"boolean"},
            "extra":{"type":"boolean","description":"true: a PressMcp operation beside WordPress.com's"},"alias_of":{"type":"string"}}}},
          "unavailable":{"type":"array","items":{"type":"object","required":["operation","reason","cause"],"properties":{"operation":{"type":"string"},"reason":{"type":"string"},
            "cause":{"type":"string","enum":["role","mcp_setting","site_policy","scope","grant","membership"]},"missing":{"type":"array","items":{"type":"string"}}}}},
          "operation":{"type":"string"},
          "label":{"type":"string"},"description":{"type":"string"},
          "input_schema":{"type":"object"},"output_schema":{"type":"object"},
          "annotations":{"type":"object","properties":{"read_only":{"type":"boolean"},"destructive":{"type":"boolean"},"idempotent":{"type":"boolean"}}},
          "needs_confirmation":{"type":"boolean"},"extra":{"type":"boolean"},"alias_of":{"type":"string"},
          "result":{"type":"object","description":"execute: the operation's result, as its output_schema says"}}}
        """;

    public static readonly JsonElement InputSchema = JsonDocument.Parse(InputSchemaText).RootElement.Clone();
    public static readonly SchemaValidator Input = new(InputSchema);
    public static readonly SchemaValidator Output = new(JsonDocument.Parse(OutputSchemaText).RootElement.Clone());

    /// <summary>Every ability an operation may run (a delete's permanent form included): the tool is listed when one is usable.</summary>
    public IEnumerable<Ability> OperationAbilities() => AuthoringOperations.AbilityNames.Select(catalogue.Get);

    /// <summary>The tool as tools/list shows it.</summary>
    public static JsonObject Describe() => new()
    {
        ["name"] = Name,
        ["title"] = "Content authoring",
        ["description"] = "Creates, changes and deletes posts, pages, comments, categories, tags and media details. action=list shows the operations you may use on a site, "
            + "describe shows one operation's parameters, execute runs it with params. Before any write, tell the user exactly what you will do, "
            + "ask for their confirmation, and pass user_confirmed: true. New posts are drafts unless your role may publish and status asks for it.",
        ["inputSchema"] = JsonNode.Parse(InputSchemaText),
        ["outputSchema"] = JsonNode.Parse(OutputSchemaText),
        ["annotations"] = new JsonObject
        {
            ["title"] = "Content authoring",
            ["readOnlyHint"] = false,
            // Some operations (trash, spam, replacing content) are destructive; each operation's own hints are in describe.
            ["destructiveHint"] = true,
            ["idempotentHint"] = false,
            ["openWorldHint"] = false,
        },
    };

    public async Task<McpReply> CallAsync(JsonRpcMessage request, JsonElement arguments, McpContext context, CancellationToken ct)
    {
        var args = arguments.ValueKind == JsonValueKind.Object ? arguments : EmptyObject;
        if (Input.Validate(args) is { } invalid) return Error(request, $"invalid arguments: {invalid}");
        var operation = args.Text("operation");
        switch (args.Text("action"))
        {
            case "list":
                return await ListAsync(request, args, context.Caller, ct);
            case "describe":
                if (operation is null) return Error(request, "describe needs operation (action=list shows them)");
                return Reply(request, DescribeOperation(operation));
            default:
                if (operation is null) return Error(request, "execute needs operation (action=list shows them)");
                return await ExecuteAsync(request, args, operation, context.Caller, ct);
        }
    }

    private async Task<McpReply> ListAsync(JsonRpcMessage request, JsonElement args, McpCaller caller, CancellationToken ct)
    {
        if (SiteReference(args) is not { } reference) return Error(request, "list needs wpcom_site: the operations depend on your role there");
        var resolved = await access.SiteAsync(reference, caller.UserId, caller.IsServerAdmin, ct);
        if (!resolved.Succeeded) return Error(request, resolved.Problem!.Message);
        var (site, actor) = resolved.Value;
        // The answer names the site (id and slug), so only a site this connection may use gets one: outside the grant,
        // or where the user is not a member, it is refused as every call there is, without naming it.
        if (!caller.MayReach(site.Id)) return Error(request, AbilityPermission.SiteNotGrantedMessage);
        if (actor.Role is null && !actor.IsServerAdmin) return Error(request, AbilityPermission.NotAMemberMessage);
        // Like tools/list, not narrowed by scope: an operation whose scope is missing stays listed so it can step up.
        // Each operation is decided on the ability it runs by default (a delete's permanent form is refused when called).
        var operations = new JsonArray();
        var unavailable = new JsonArray();
        var decisions = await catalogue.OnSiteAsync(caller, site, AuthoringOperations.All.Select(o => catalogue.Get(o.Ability)), ct);
        foreach (var (operation, (ability, decision)) in AuthoringOperations.All.Zip(decisions))
        {
            if (decision.IsAllowed)
            {
                var entry = new JsonObject
                {
                    ["operation"] = operation.Name,
                    ["label"] = ability.Label,
                    ["description"] = ability.Description,
                    ["read_only"] = ability.Annotations.ReadOnly,
                    ["destructive"] = ability.Annotations.Destructive,
                    ["needs_confirmation"] = !ability.Annotations.ReadOnly,
                    ["extra"] = operation.Extra,
                };
                if (operation.AliasOf is { } alias) entry["alias_of"] = alias;
                operations.Add(entry);
            }
            else
            {
                var entry = new JsonObject { ["operation"] = operation.Name, ["reason"] = decision.Message, ["cause"] = CauseOf(decision.Refusal) };
                if (decision.Missing.Count > 0) entry["missing"] = new JsonArray([.. decision.Missing.Select(m => JsonValue.Create(m))]);
                unavailable.Add(entry);
            }
        }
        return Reply(request, new JsonObject
        {
            ["action"] = "list",
            ["site"] = new JsonObject { ["id"] = site.Id, ["slug"] = site.Slug },
            ["operations"] = operations,
            ["unavailable"] = unavailable,
        });
    }

    /// <summary>Which layer refused, in a word an agent can branch on; the reason says it in a sentence.</summary>
    private static string CauseOf(Refusal refusal) => refusal switch
    {
        Refusal.MissingCapability => "role",
        Refusal.McpOff or Refusal.ToolOff or Refusal.SiteBlocked or Refusal.SiteReadOnly => "mcp_setting",
        Refusal.SitePolicyBlocked or Refusal.SitePolicyReadOnly => "site_policy",
        Refusal.MissingScope => "scope",
        Refusal.SiteNotGranted => "grant",
        _ => "membership",
    };

    private JsonObject DescribeOperation(string name)
    {
        var operation = AuthoringOperations.Find(name)!;
        var ability = catalogue.Get(operation.Ability);
        var permanent = operation.PermanentAbility is { } p ? catalogue.Get(p) : null;
        var described = new JsonObject
        {
            ["action"] = "describe",
            ["operation"] = name,
            ["label"] = ability.Label,
            ["description"] = ability.Description + (permanent is null ? "" : $" With force: true and confirm_permanent_delete: true: {permanent.Description}"),
            // WordPress.com's shapes of the operation's input (params, without the site, which the tool takes once) and result.
            ["input_schema"] = WpcomSchemas.Input(operation, ability, permanent),
            ["output_schema"] = WpcomSchemas.Output(operation, ability),
            ["annotations"] = new JsonObject
            {
                ["read_only"] = ability.Annotations.ReadOnly,
                ["destructive"] = ability.Annotations.Destructive || permanent is not null,
                ["idempotent"] = ability.Annotations.Idempotent,
            },
            ["needs_confirmation"] = !ability.Annotations.ReadOnly,
            ["extra"] = operation.Extra,
        };
        if (operation.AliasOf is { } alias) described["alias_of"] = alias;
        return described;
    }

    private async Task<McpReply> ExecuteAsync(JsonRpcMessage request, JsonElement args, string name, McpCaller caller, CancellationToken ct)
    {
        var operation = AuthoringOperations.Find(name)!;
        var parameters = args.TryGetProperty("params", out var p) ? p : EmptyObject;
        // WordPress.com's agents put the confirmation inside params; either place counts, and it is not the operation's input.
        var confirmed = args.Flag(Confirmed) || parameters.Flag(Confirmed);
        // WordPress.com's argument shapes become the ability's in one place; the ability's schema then judges the rest.
        var mapped = WpcomArguments.Map(operation, parameters);
        if (!mapped.Succeeded) return Error(request, $"{name}: invalid arguments: {mapped.Problem!.Message}");
        var call = mapped.Value!;
        var ability = catalogue.Get(call.Ability);
        var input = new AbilityArguments(call.Input)
        {
            SiteReference = args.TryGetProperty(AbilitySchema.SiteArgument, out var site) ? site : default,
        };

        if (!ability.Annotations.ReadOnly && !confirmed)
        {
            // Ask the user only about a call that would run: report bad params or a refusal first.
            if (await invoker.CheckAsync(caller, ability, input, ct) is { } refusal) return Outcome(request, refusal, name, call, ct);
            return Error(request, $"{name} changes the site, so it needs the user's confirmation. Show the user exactly what you are about to do "
                + $"({name}: {ArgumentSummary.Render(parameters)}), ask them, and once they agree call again with user_confirmed: true. Nothing was written.");
        }
        return Outcome(request, await invoker.InvokeAsync(caller, Name, ability, input, ct), name, call, ct);
    }

    private McpReply Outcome(JsonRpcMessage request, Invocation result, string operation, AuthoringCall call, CancellationToken ct) => result.Outcome switch
    {
        CallOutcome.Succeeded => Reply(request, new JsonObject
        {
            ["action"] = "execute",
            ["operation"] = operation,
            ["result"] = WpcomResults.Trim(results.Shape(call.Shape, result.Value, ct), call.IncludeFields),
        }),
        CallOutcome.StepUp => new McpReply.StepUp(result.MissingScopes),
        _ => Error(request, $"{operation}: {result.Message}"),
    };

    private static string? SiteReference(JsonElement args) =>
        args.TryGetProperty(AbilitySchema.SiteArgument, out var s) ? s.ValueKind == JsonValueKind.Number ? s.GetRawText() : s.TextOrNull() : null;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static McpReply Reply(JsonRpcMessage request, JsonObject value) => McpReply.Tool(request, value);

    private static McpReply Error(JsonRpcMessage request, string message) => McpReply.Result(request, McpToolJson.ToolError(message));
}
