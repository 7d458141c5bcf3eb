using System.Text.Json;
using System.Text.Json.Nodes;
using PressMcp.Abilities;
using PressMcp.Activity;
using PressMcp.Sites;

namespace PressMcp.Mcp;

/// <summary>
/// The WordPress MCP Adapter's three tools over the ability registry, for the one site the endpoint stands for:
/// discover the abilities the caller may run here, describe one, execute one (through <see cref="AbilityInvoker"/>,
/// the same path as every endpoint). Only abilities public over MCP appear or run. How each outcome looks on this
/// endpoint's wire (docs/mcp.md's table, adapter column) is implemented here and nowhere else: a success is the
/// ability's result JSON-encoded in <c>content[0].text</c> (and as <c>structuredContent</c>); a failed ability is
/// the JSON-RPC error -32000 "Ability execution failed: …", as the adapter's documentation specifies.
/// </summary>
internal sealed class AdapterTools(AbilityCatalogue catalogue, AbilityInvoker invoker, AdapterSession session) : IMcpToolSet
{
    public const string Discover = "mcp-adapter-discover-abilities";
    public const string GetInfo = "mcp-adapter-get-ability-info";
    public const string Execute = "mcp-adapter-execute-ability";

    /// <summary>The code the adapter uses for an ability that did not run or failed (JSON-RPC's server-error range).</summary>
    public const int AbilityFailed = -32000;

    /// <summary>The adapter's code for a tool name it does not have (its McpErrorFactory TOOL_NOT_FOUND), answered with HTTP 404.</summary>
    public const int ToolNotFound = -32003;

    /// <summary>
    /// Messages one batch may hold. The adapter sets no bound; one is needed here because every call may run an
    /// ability, and twenty is more than any client batches (the MCP SDKs send one message per request).
    /// </summary>
    public const int MaxBatch = 20;

    private const string AbilityNameProperty = "\"ability_name\":{\"type\":\"string\",\"minLength\":1,\"description\":\"The full name of the ability, e.g. posts/search (see mcp-adapter-discover-abilities)\"}";
    private const string DiscoverInput = """{"type":"object","properties":{},"additionalProperties":false}""";
    private const string GetInfoInput = "{\"type\":\"object\",\"properties\":{" + AbilityNameProperty + "},\"required\":[\"ability_name\"],\"additionalProperties\":false}";
    private const string ExecuteInput = "{\"type\":\"object\",\"properties\":{" + AbilityNameProperty
        + ",\"parameters\":{\"type\":\"object\",\"description\":\"The ability's input, as mcp-adapter-get-ability-info's input_schema describes it (the site is this endpoint's)\"}},\"required\":[\"ability_name\"],\"additionalProperties\":false}";

    private const string DiscoverOutput = """
        {"type":"object","properties":{"abilities":{"type":"array","items":{"type":"object","properties":{
          "name":{"type":"string"},"label":{"type":"string"},"description":{"type":"string"},"category":{"type":"string"}},
          "required":["name","label","description","category"]}}},"required":["abilities"]}
        """;
    private const string GetInfoOutput = """
        {"type":"object","properties":{"name":{"type":"string"},"label":{"type":"string"},"description":{"type":"string"},"category":{"type":"string"},
          "input_schema":{"type":"object"},"output_schema":{"type":"object"},"meta":{"type":"object"}},
          "required":["name","label","description","category","input_schema","output_schema","meta"]}
        """;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static readonly SchemaValidator DiscoverValidator = Validator(DiscoverInput);
    private static readonly SchemaValidator GetInfoValidator = Validator(GetInfoInput);
    private static readonly SchemaValidator ExecuteValidator = Validator(ExecuteInput);

    public string Instructions =>
        "One WordPress-style site (this endpoint's). Call mcp-adapter-discover-abilities to see what you may do here, "
        + "mcp-adapter-get-ability-info for an ability's input schema, then mcp-adapter-execute-ability with ability_name and parameters.";

    public IReadOnlyList<string> HandshakeVersions => McpVersions.AdapterHandshake;

    public int MaxBatchSize => MaxBatch;

    public McpReply? Admit(JsonRpcMessage request) => session.Admit(request);

    public JsonObject Capabilities => AdapterResourcesAndPrompts.Capabilities();

    public McpReply? Answer(JsonRpcMessage request) => AdapterResourcesAndPrompts.Answer(request);

    /// <summary>The adapter's answer (its RequestRouter): "Method not found: …", HTTP 404 when the call came alone.</summary>
    public McpReply MethodNotFound(JsonRpcMessage request) =>
        McpReply.Error(request, JsonRpcErrors.MethodNotFound, $"Method not found: {request.Method}", StatusCodes.Status404NotFound);

    public Task<JsonArray> ListAsync(McpContext context, CancellationToken ct) => Task.FromResult(new JsonArray(
        Tool(Discover, "Discover Abilities", "List the abilities you may run on this site (name, label, description, category).", DiscoverInput, DiscoverOutput,
            readOnly: true, destructive: false, idempotent: true),
        Tool(GetInfo, "Get Ability Info", "Describe one ability: its input and output JSON Schema and annotations.", GetInfoInput, GetInfoOutput,
            readOnly: true, destructive: false, idempotent: true),
        Tool(Execute, "Execute Ability", "Run an ability on this site with the given parameters; the result is the ability's JSON.", ExecuteInput, null,
            readOnly: false, destructive: true, idempotent: false)));

    public async Task<McpReply> CallAsync(JsonRpcMessage request, string name, JsonElement arguments, McpContext context, CancellationToken ct)
    {
        var site = context.EndpointSite ?? throw new InvalidOperationException("the adapter's tools serve the endpoint's site");
        var input = arguments.ValueKind == JsonValueKind.Object ? arguments : EmptyObject;
        var validator = name switch { Discover => DiscoverValidator, GetInfo => GetInfoValidator, Execute => ExecuteValidator, _ => null };
        // As the adapter answers a tool name it does not have (its ToolsHandler): -32003, HTTP 404 when the call came alone.
        if (validator is null)
            return McpReply.Error(request, ToolNotFound, $"Tool not found: {name}", StatusCodes.Status404NotFound);
        if (validator.Validate(input) is { } invalid)
            return McpReply.Error(request, JsonRpcErrors.InvalidParams, $"invalid arguments for {name}: {invalid}");

        return name switch
        {
            Discover => await DiscoverAsync(request, context.Caller, site, ct),
            GetInfo => await GetInfoAsync(request, context.Caller, input.GetProperty("ability_name").GetString()!, ct),
            _ => await ExecuteAsync(request, context.Caller, site, input, ct),
        };
    }

    private async Task<McpReply> DiscoverAsync(JsonRpcMessage request, McpCaller caller, Site site, CancellationToken ct)
    {
        var settings = await invoker.SettingsAsync(caller.UserId, ct);
        if (!settings.Enabled) return Failed(request, "Ability discovery failed: " + McpOffMessage);
        var list = new JsonArray();
        foreach (var (ability, _) in (await catalogue.OnSiteAsync(caller, site, catalogue.Public, ct)).Where(d => d.Decision.IsAllowed))
        {
            list.Add(new JsonObject
            {
                ["name"] = ability.Name, ["label"] = ability.Label, ["description"] = ability.Description, ["category"] = ability.Category,
            });
        }
        return Success(request, new JsonObject { ["abilities"] = list });
    }

    private async Task<McpReply> GetInfoAsync(JsonRpcMessage request, McpCaller caller, string abilityName, CancellationToken ct)
    {
        if (!(await invoker.SettingsAsync(caller.UserId, ct)).Enabled) return Failed(request, "Ability info failed: " + McpOffMessage);
        if (catalogue.FindPublic(abilityName) is not { } ability) return Failed(request, "Ability info failed: " + NotFound(abilityName));
        return Success(request, new JsonObject
        {
            ["name"] = ability.Name,
            ["label"] = ability.Label,
            ["description"] = ability.Description,
            ["category"] = ability.Category,
            // At this endpoint the site is the endpoint's.
            ["input_schema"] = JsonNode.Parse(ability.InputSchemaWithoutSite.GetRawText()),
            ["output_schema"] = JsonNode.Parse(ability.OutputSchema.GetRawText()),
            ["meta"] = new JsonObject
            {
                ["annotations"] = new JsonObject
                {
                    ["readonly"] = ability.Annotations.ReadOnly,
                    ["destructive"] = ability.Annotations.Destructive,
                    ["idempotent"] = ability.Annotations.Idempotent,
                },
                ["capability"] = ability.Capability,
                ["mcp"] = new JsonObject { ["public"] = true },
            },
        });
    }

    private async Task<McpReply> ExecuteAsync(JsonRpcMessage request, McpCaller caller, Site site, JsonElement input, CancellationToken ct)
    {
        var abilityName = input.GetProperty("ability_name").GetString()!;
        if (catalogue.FindPublic(abilityName) is not { } ability) return Failed(request, "Ability execution failed: " + NotFound(abilityName));
        var parameters = input.TryGetProperty("parameters", out var p) ? p : EmptyObject;
        var result = await invoker.InvokeAsync(caller, Execute, ability, parameters, endpointSite: site, ct);
        return result.Outcome switch
        {
            CallOutcome.Succeeded => McpReply.Tool(request, result.Result!),
            CallOutcome.StepUp => new McpReply.StepUp(result.MissingScopes),
            _ => Failed(request, "Ability execution failed: " + result.Message),
        };
    }

    /// <summary>
    /// Whether a request is a call of <paramref name="ability"/> through <see cref="Execute"/>: what the endpoint lets a
    /// large body be (<see cref="McpLargeBody"/>). Read from the parsed request; names that are not text are not it.
    /// </summary>
    public static bool IsExecuteOf(JsonRpcMessage message, string ability) =>
        message.Method == "tools/call"
        && message.Param("name").TextOrNull() == Execute
        && message.Param("arguments") is { ValueKind: JsonValueKind.Object } arguments
        && arguments.TryGetProperty("ability_name", out var abilityName) && abilityName.TextOrNull() == ability;

    private const string McpOffMessage = "MCP access is turned off for this account; the user can turn it on in their MCP settings";

    private static string NotFound(string name) =>
        $"no ability named '{name}' is available over MCP (mcp-adapter-discover-abilities lists the ones you may run here)";

    private static McpReply Success(JsonRpcMessage request, JsonObject value) =>
        McpReply.Tool(request, value);

    private static McpReply Failed(JsonRpcMessage request, string message) => McpReply.Error(request, AbilityFailed, message);

    private static JsonObject Tool(string name, string title, string description, string input, string? output, bool readOnly, bool destructive, bool idempotent)
    {
        var tool = new JsonObject
        {
            ["name"] = name,
            ["title"] = title,
            ["description"] = description,
            ["inputSchema"] = JsonNode.Parse(input),
            ["annotations"] = new JsonObject
            {
                ["title"] = title, ["readOnlyHint"] = readOnly, ["destructiveHint"] = destructive, ["idempotentHint"] = idempotent,
                // Execute reaches every public ability, as the adapter declares it.
                ["openWorldHint"] = name == Execute,
            },
        };
        if (output is not null) tool["outputSchema"] = JsonNode.Parse(output);
        return tool;
    }

    private static SchemaValidator Validator(string schema) => new(JsonDocument.Parse(schema).RootElement.Clone());
}
