using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PressMcp.Tests.Hardening;

/// <summary>What the fuzzer needs from the set-up server: credentials and ids to build valid requests from.</summary>
public sealed record FuzzContext(
    string WpcomToken, string AliceBasic, string CarolBasic, long PostId,
    string FormClientId, string FormAccessToken, string FormRefreshToken, string AuthorizeClientId,
    string AliceCookie, string LoginCookie, string LoginAntiforgery);

/// <summary>
/// Builds request number <c>index</c> of a seed: picks an endpoint family, starts from a valid request for it
/// (an MCP call of a real tool with real arguments, a registration, a token request, a consent page URL) and
/// damages it in one way (a value, a key, bytes, the framing or a header). The same (seed, index) always gives
/// the same request, so any failure can be sent again alone.
/// </summary>
internal sealed class FuzzPlanner(FuzzContext ctx, int seed)
{
    private const string Marker = "FUZZ_MARK_9c1e";
    private static readonly byte[] MarkerQuoted = Encoding.ASCII.GetBytes($"\"{Marker}\"");

    public FuzzRequest Create(int index)
    {
        var r = new Random(unchecked(seed * 1_000_003 + index));
        // Every thousand requests, the body-limit case on each MCP endpoint: sixteen million array items in one 32 MB body.
        if (index % 1000 == 500) return BodyLimitArray(index, "adapter-alice", HardeningSite.AdapterPath(), ctx.AliceBasic, AdapterSeeds()[4]);
        if (index % 1000 == 999) return BodyLimitArray(index, "wpcom-bearer", HardeningSite.WpcomPath, "Bearer " + ctx.WpcomToken, WpcomSeeds()[3]);
        var roll = r.Next(100);
        return roll switch
        {
            < 25 => JsonRpc(r, index, "wpcom-bearer", HardeningSite.WpcomPath, "Bearer " + ctx.WpcomToken, WpcomSeeds()),
            < 29 => JsonRpc(r, index, "wpcom-anonymous", HardeningSite.WpcomPath, null, WpcomSeeds()),
            < 54 => JsonRpc(r, index, "adapter-alice", HardeningSite.AdapterPath(), ctx.AliceBasic, AdapterSeeds()),
            < 58 => JsonRpc(r, index, "adapter-carol", HardeningSite.AdapterPath(), ctx.CarolBasic, AdapterSeeds()),
            < 60 => JsonRpc(r, index, "adapter-other-site", AdapterPathVariant(r), ctx.AliceBasic, AdapterSeeds()),
            < 70 => Register(r, index),
            < 78 => Form(r, index, "token", "/oauth2-1/token", TokenSeeds()),
            < 82 => Form(r, index, "revoke", "/oauth2-1/revoke", RevokeSeeds()),
            < 84 => Form(r, index, "token-info", "/oauth2-1/token-info", [("token-info", [("token", ctx.FormAccessToken)])]),
            < 88 => WellKnown(r, index),
            < 94 => Authorize(r, index),
            < 97 => LoginGet(r, index),
            _ => LoginPost(r, index),
        };
    }

    // ---- valid starting points ------------------------------------------------------------------------------

    private static string Rpc(string method, object? parameters, object? id = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id ?? 1, ["method"] = method, ["params"] = parameters ?? new { } });

    private static string Call(string tool, object arguments) => Rpc("tools/call", new { name = tool, arguments });

    private static (string Name, string Json)[] CommonSeeds() =>
    [
        ("initialize", Rpc("initialize", new { protocolVersion = "2025-06-18", capabilities = new { }, clientInfo = new { name = "fuzz", version = "1.0" } })),
        ("initialize-2026", Rpc("initialize", new { protocolVersion = "2026-07-28", capabilities = new { roots = new { listChanged = true } }, clientInfo = new { name = "fuzz", version = "1.0" } }, "init-1")),
        ("notification", """{"jsonrpc":"2.0","method":"notifications/initialized"}"""),
        ("ping", Rpc("ping", null, 7)),
        ("tools/list", Rpc("tools/list", new { cursor = "abc" })),
        ("server/discover", Rpc("server/discover", null)),
        ("unknown-method", Rpc("resources/templates/list", null)),
    ];

    private (string Name, string Json)[] WpcomSeeds()
    {
        var site = HardeningSite.Site;
        return
        [
            .. CommonSeeds(),
            ("posts-search", Call("wpcom-mcp-posts-search", new { wpcom_site = site, search = "tomato", page = 1, per_page = 10, status = "publish" })),
            ("post-get", Call("wpcom-mcp-post-get", new { wpcom_site = site, post_id = ctx.PostId, include_comments = true })),
            ("comments-search", Call("wpcom-mcp-site-comments-search", new { wpcom_site = site, search = "look", post_id = ctx.PostId, status = "approved", page = 1 })),
            ("site-settings", Call("wpcom-mcp-site-settings", new { wpcom_site = site, sections = new[] { "general", "reading" } })),
            ("site-statistics", Call("wpcom-mcp-site-statistics", new { wpcom_site = site, period = "day", num = 7 })),
            ("site-users", Call("wpcom-mcp-site-users", new { wpcom_site = site, role = "administrator", page = 1 })),
            ("user-profile", Call("wpcom-mcp-user-profile", new { })),
            ("user-sites", Call("wpcom-mcp-user-sites", new { })),
            ("authoring-list", Call("wpcom-mcp-content-authoring", new { wpcom_site = site, action = "list" })),
            ("authoring-create", Call("wpcom-mcp-content-authoring", new { wpcom_site = site, action = "execute", operation = "posts.create", @params = new { title = "Fuzz", content = "<p>body</p>", status = "draft" }, user_confirmed = true })),
            ("authoring-reply", Call("wpcom-mcp-content-authoring", new { wpcom_site = site, action = "execute", operation = "comments.reply", @params = new { post_id = ctx.PostId, content = "reply" }, user_confirmed = true })),
        ];
    }

    private static object Execute(string ability, object parameters) => new { ability_name = ability, parameters };

    private (string Name, string Json)[] AdapterSeeds() =>
    [
        .. CommonSeeds(),
        ("discover-abilities", Call("mcp-adapter-discover-abilities", new { })),
        ("ability-info", Call("mcp-adapter-get-ability-info", new { ability_name = "posts/search" })),
        ("execute-posts-search", Call("mcp-adapter-execute-ability", Execute("posts/search", new { search = "tomato", page = 1, per_page = 10 }))),
        ("execute-posts-get", Call("mcp-adapter-execute-ability", Execute("posts/get", new { post_id = ctx.PostId }))),
        ("execute-site-settings", Call("mcp-adapter-execute-ability", Execute("site/settings", new { sections = new[] { "general" } }))),
        ("execute-posts-create", Call("mcp-adapter-execute-ability", Execute("posts/create", new { title = "Fuzz", content = "<p>body</p>", tags = new[] { "a" } }))),
        ("execute-comments-reply", Call("mcp-adapter-execute-ability", Execute("comments/reply", new { post_id = ctx.PostId, content = "reply" }))),
        ("execute-comments-search", Call("mcp-adapter-execute-ability", Execute("comments/search", new { search = "r", page = 1 }))),
        ("execute-user-profile", Call("mcp-adapter-execute-ability", Execute("user/profile", new { }))),
    ];

    private static readonly string[] SiteSlugVariants = ["nowhere", "%FF", "%ED%A0%80", "GARDEN", "garden%00", "..", "%2e%2e", new('a', 300), "garden%2F..%2Fx", "_"];

    private static string AdapterPathVariant(Random r) => HardeningSite.AdapterPath(SiteSlugVariants[r.Next(SiteSlugVariants.Length)]);

    private (string Name, (string Key, string Value)[] Fields)[] TokenSeeds() =>
    [
        ("authorization-code", [("grant_type", "authorization_code"), ("client_id", ctx.FormClientId), ("code", "stale-code-abc"), ("redirect_uri", OAuthTestServer.Redirect), ("code_verifier", new string('v', 43))]),
        ("refresh-token", [("grant_type", "refresh_token"), ("client_id", ctx.FormClientId), ("refresh_token", ctx.FormRefreshToken), ("scope", "content:read")]),
        ("unknown-grant", [("grant_type", "client_credentials"), ("client_id", ctx.FormClientId)]),
    ];

    private (string Name, (string Key, string Value)[] Fields)[] RevokeSeeds() =>
    [
        ("revoke-access", [("token", ctx.FormAccessToken), ("token_type_hint", "access_token"), ("client_id", ctx.FormClientId)]),
        ("revoke-unknown", [("token", "no-such-token"), ("token_type_hint", "refresh_token"), ("client_id", ctx.FormClientId)]),
    ];

    private static readonly string[] RegistrationSeeds =
    [
        $$"""{"client_name":"Fuzz Agent","redirect_uris":["{{OAuthTestServer.Redirect}}","http://localhost:8080/cb"],"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none","scope":"content:read settings:read","client_uri":"https://example.com","logo_uri":"https://example.com/logo.png","software_id":"fuzz","software_version":"1.0","contacts":["a@example.com"]}""",
        """{"client_name":"Minimal","redirect_uris":["http://127.0.0.1/callback"]}""",
        """{"client_name":"Custom scheme","redirect_uris":["com.example.app:/oauth"],"token_endpoint_auth_method":"client_secret_post"}""",
    ];

    // ---- request builders -----------------------------------------------------------------------------------

    private static List<KeyValuePair<string, string>> McpHeaders(string? authorization)
    {
        var h = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/json"),
            new("Accept", "application/json, text/event-stream"),
            new("MCP-Protocol-Version", "2025-06-18"),
        };
        if (authorization is not null) h.Add(new("Authorization", authorization));
        return h;
    }

    private FuzzRequest JsonRpc(Random r, int index, string target, string path, string? authorization, (string Name, string Json)[] seeds)
    {
        var (name, json) = seeds[r.Next(seeds.Length)];
        var headers = McpHeaders(authorization);
        string mutation, detail;
        byte[] body;
        if (r.Next(100) < 22)
        {
            // The body stays valid; the headers are what is damaged.
            body = Encoding.UTF8.GetBytes(json);
            (mutation, detail) = MutateHeaders(r, headers, target.StartsWith("adapter", StringComparison.Ordinal));
        }
        else
        {
            (body, mutation, detail) = MutateJson(r, json);
            if (r.Next(100) < 8) mutation += "+" + MutateHeaders(r, headers, false).Mutation;
        }
        return new FuzzRequest(seed, index, target, name, mutation, detail, HttpMethod.Post, path, body, headers);
    }

    private FuzzRequest BodyLimitArray(int index, string target, string path, string authorization, (string Name, string Json) start)
    {
        var (body, detail) = ReplaceDeepestArray(start.Json, FuzzPayloads.BodyLimitArray(start.Json.Length));
        return new FuzzRequest(seed, index, target, start.Name, "body-limit-array", detail, HttpMethod.Post, path, body, McpHeaders(authorization));
    }

    /// <summary>Puts the payload in place of the first value that is an object member inside <c>arguments</c> (or the params).</summary>
    private static (byte[] Body, string Detail) ReplaceDeepestArray(string json, byte[] payload)
    {
        var root = JsonNode.Parse(json)!;
        var positions = Positions(root, "$");
        var target = positions.LastOrDefault(p => p.Parent is JsonObject && p.Path.Contains("arguments", StringComparison.Ordinal)) ?? positions.Last();
        return (Splice(root, target, payload), target.Path);
    }

    private sealed record Position(JsonNode Parent, string? Key, int Index, string Path);

    private static List<Position> Positions(JsonNode node, string path)
    {
        var list = new List<Position>();
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o.ToList())
                {
                    list.Add(new Position(o, k, -1, $"{path}.{k}"));
                    if (v is not null) list.AddRange(Positions(v, $"{path}.{k}"));
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    list.Add(new Position(a, null, i, $"{path}[{i}]"));
                    if (a[i] is { } v) list.AddRange(Positions(v, $"{path}[{i}]"));
                }
                break;
        }
        return list;
    }

    private static byte[] Splice(JsonNode root, Position at, byte[] payload)
    {
        if (at.Parent is JsonObject o) o[at.Key!] = Marker;
        else ((JsonArray)at.Parent)[at.Index] = Marker;
        return ReplaceMarker(Encoding.UTF8.GetBytes(root.ToJsonString()), payload);
    }

    private static byte[] ReplaceMarker(byte[] text, byte[] payload)
    {
        var i = text.AsSpan().IndexOf(MarkerQuoted);
        return [.. text.AsSpan(0, i), .. payload, .. text.AsSpan(i + MarkerQuoted.Length)];
    }

    private static (byte[] Body, string Mutation, string Detail) MutateJson(Random r, string json)
    {
        var roll = r.Next(100);
        if (roll < 55)
        {
            var root = JsonNode.Parse(json)!;
            var positions = Positions(root, "$");
            var at = positions[r.Next(positions.Count)];
            var payload = FuzzPayloads.Value(r);
            return (Splice(root, at, payload.Bytes), payload.Kind, at.Path);
        }
        if (roll < 65)
        {
            var root = JsonNode.Parse(json)!;
            var keys = Positions(root, "$").Where(p => p.Key is not null).ToList();
            var at = keys[r.Next(keys.Count)];
            var o = (JsonObject)at.Parent;
            var value = o[at.Key!]?.DeepClone();
            o.Remove(at.Key!);
            o[Marker] = value;
            var payload = FuzzPayloads.Key(r);
            var text = Encoding.UTF8.GetBytes(root.ToJsonString());
            return (ReplaceMarker(text, payload.Bytes), payload.Kind, at.Path);
        }
        var bytes = Encoding.UTF8.GetBytes(json);
        return (roll - 65) switch
        {
            < 8 => (FlipBytes(r, bytes), "byte-flips", ""),
            < 13 => (bytes[..r.Next(bytes.Length)], "truncated", ""),
            < 19 => (InsertAt(r, bytes, InvalidUtf8Bytes(r)), "invalid-utf8-anywhere", ""),
            < 23 => (DuplicateKeys(r, json), "duplicate-keys", ""),
            < 29 => (Batch(r, json, out var kind), kind, ""),
            < 32 => (FuzzPayloads.DeepNesting(r), "deep-nesting-body", ""),
            _ => WholeBody(r, json),
        };
    }

    private static byte[] InvalidUtf8Bytes(Random r)
    {
        byte[][] all = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];
        return all[r.Next(all.Length)];
    }

    private static byte[] FlipBytes(Random r, byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var n = r.Next(1, 9); n > 0; n--) copy[r.Next(copy.Length)] = (byte)r.Next(256);
        return copy;
    }

    private static byte[] InsertAt(Random r, byte[] bytes, byte[] insert)
    {
        var at = r.Next(bytes.Length + 1);
        return [.. bytes.AsSpan(0, at), .. insert, .. bytes.AsSpan(at)];
    }

    private static byte[] DuplicateKeys(Random r, string json)
    {
        string[] dupes = ["\"jsonrpc\":\"1.0\",", "\"method\":\"tools/list\",", "\"id\":{\"a\":1},", "\"id\":null,", "\"params\":[],", "\"method\":\"\\ud800\","];
        var body = json.Insert(1, dupes[r.Next(dupes.Length)]);
        // A second copy at the end too: readers that keep the last value see a different request than those that keep the first.
        var last = body.LastIndexOf('}');
        return Encoding.UTF8.GetBytes(body.Insert(last, "," + dupes[r.Next(dupes.Length)].TrimEnd(',')));
    }

    private static byte[] Batch(Random r, string json, out string kind)
    {
        switch (r.Next(6))
        {
            case 0: kind = "batch-empty"; return "[]"u8.ToArray();
            case 1: kind = "batch-two"; return Encoding.UTF8.GetBytes($"[{json},{json}]");
            case 2: kind = "batch-nested"; return Encoding.UTF8.GetBytes($"[[{json}]]");
            case 3: kind = "batch-scalars"; return "[1,\"a\",null,true,{}]"u8.ToArray();
            case 4:
                kind = "batch-large";
                return Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat(json, 1 << r.Next(8, 12))) + "]");
            default: kind = "batch-one"; return Encoding.UTF8.GetBytes($"[{json}]");
        }
    }

    private static (byte[], string, string) WholeBody(Random r, string json) => r.Next(8) switch
    {
        0 => ([], "empty-body", ""),
        1 => ("   \n\t "u8.ToArray(), "whitespace-body", ""),
        2 => ([0xef, 0xbb, 0xbf, .. Encoding.UTF8.GetBytes(json)], "bom-prefixed", ""),
        3 => (Encoding.Unicode.GetBytes(json), "utf16-body", ""),
        4 => (Encoding.UTF8.GetBytes(json + json), "two-top-level-values", ""),
        5 => (Encoding.UTF8.GetBytes(json.Insert(1, "/* c */ ") + "\n// x"), "json-comments", ""),
        6 => (Encoding.UTF8.GetBytes(json.Replace("}", ",}", StringComparison.Ordinal)), "trailing-commas", ""),
        _ => ("null"u8.ToArray(), "scalar-body", ""),
    };

    /// <summary>Damages one header (or adds an odd one); returns the kind and which header.</summary>
    private (string Mutation, string Detail) MutateHeaders(Random r, List<KeyValuePair<string, string>> headers, bool basic)
    {
        void Set(string name, string? value)
        {
            headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
            if (value is not null) headers.Add(new(name, value));
        }
        string[] contentTypes = ["text/plain", "application/json; charset=utf-16", "application/json; charset=latin1", "application/json; charset=\u00ff", "", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/json;;;", "application/jsonx", "*/*", "application/json; charset=\"utf-8"];
        string[] accepts = ["text/event-stream", "application/json", "*/*", "text/html", "text/html, application/json", "\u00ff", "", "application/json;q=0, text/event-stream;q=0"];
        string[] authorizations = basic
            ? ["Basic", "Basic !!!!", "Basic " + B64("alice"), "Basic " + B64("alice:"), "Basic " + B64(":"), "Basic " + Convert.ToBase64String([0xff, 0xfe, (byte)':', 0xed, 0xa0, 0x80]),
               "Basic " + B64("alice:" + new string('p', 20_000)), "Basic " + B64("alice:" + ctx.AliceBasic), "basic " + ctx.AliceBasic.Split(' ')[1], "Basic =", "Bearer " + ctx.WpcomToken, ctx.AliceBasic + " extra", "Digest x"]
            : ["Bearer", "Bearer ", "Bearer " + new string('t', 8_000), "Bearer \u00ff\u00fe", "bearer " + ctx.WpcomToken, "Bearer " + ctx.WpcomToken + " x", "Bearer " + ctx.WpcomToken[..^1],
               "Basic " + B64("alice:x"), "Bearer a.b.c", "Negotiate abc", "Bearer " + ctx.WpcomToken + "\u0000"];
        switch (r.Next(10))
        {
            case 0: Set("Content-Type", contentTypes[r.Next(contentTypes.Length)]); return ("header-content-type", "Content-Type");
            case 1: Set("Content-Type", null); return ("header-content-type-missing", "Content-Type");
            case 2: Set("Accept", r.Next(4) == 0 ? null : accepts[r.Next(accepts.Length)]); return ("header-accept", "Accept");
            case 3: Set("MCP-Protocol-Version", FuzzPayloads.HeaderText(r)); return ("header-protocol-version", "MCP-Protocol-Version");
            case 4: Set("Origin", r.Next(2) == 0 ? "http://evil.example" : FuzzPayloads.HeaderText(r)); return ("header-origin", "Origin");
            case 5: Set("Authorization", authorizations[r.Next(authorizations.Length)]); return ("header-authorization", "Authorization");
            case 6: Set("Mcp-Session-Id", FuzzPayloads.HeaderText(r)); return ("header-session-id", "Mcp-Session-Id");
            case 7: Set(r.Next(2) == 0 ? "Mcp-Method" : "Mcp-Name", FuzzPayloads.HeaderText(r)); return ("header-mcp-method", "Mcp-Method/Mcp-Name");
            case 8: Set("X-Long", new string('h', 1 << r.Next(12, 16))); return ("header-very-long", "X-Long");
            default: Set("Host", r.Next(2) == 0 ? "evil.example" : "garden.example:65535"); return ("header-host", "Host");
        }
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private FuzzRequest Register(Random r, int index)
    {
        var json = RegistrationSeeds[r.Next(RegistrationSeeds.Length)];
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        var (body, mutation, detail) = MutateJson(r, json);
        if (r.Next(100) < 10)
        {
            string[] types = ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "", "application/json; charset=\u00ff"];
            headers[0] = new("Content-Type", types[r.Next(types.Length)]);
            mutation += "+content-type";
        }
        return new FuzzRequest(seed, index, "register", "registration", mutation, detail, HttpMethod.Post, "/oauth2-1/register", body, headers);
    }

    private FuzzRequest Form(Random r, int index, string target, string path, (string Name, (string Key, string Value)[] Fields)[] seeds)
    {
        var (name, fields) = seeds[r.Next(seeds.Length)];
        var parts = fields.Select(f => (Key: Encoding.ASCII.GetBytes(Uri.EscapeDataString(f.Key)), Value: Encoding.ASCII.GetBytes(Uri.EscapeDataString(f.Value)))).ToList();
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", "application/x-www-form-urlencoded") };
        string mutation, detail = "";
        var roll = r.Next(100);
        if (roll < 45)
        {
            var i = r.Next(parts.Count);
            var p = FuzzPayloads.UrlText(r);
            parts[i] = (parts[i].Key, p.Bytes);
            (mutation, detail) = (p.Kind, fields[i].Key);
        }
        else if (roll < 55)
        {
            var i = r.Next(parts.Count);
            var p = FuzzPayloads.UrlText(r);
            parts[i] = (p.Bytes, parts[i].Value);
            (mutation, detail) = (p.Kind + "-key", fields[i].Key);
        }
        else if (roll < 62)
        {
            var i = r.Next(parts.Count);
            parts.Add((parts[i].Key, "other"u8.ToArray()));
            (mutation, detail) = ("duplicate-field", fields[i].Key);
        }
        else if (roll < 68)
        {
            // More fields than a form reader keeps by default (1024), or one very long field.
            var many = r.Next(2) == 0;
            parts.Add(many ? ("x"u8.ToArray(), Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1&x=", 1 << r.Next(11, 18))))) : ("big"u8.ToArray(), new byte[1 << r.Next(20, 24)].Select(_ => (byte)'a').ToArray()));
            mutation = many ? "many-fields" : "huge-field";
        }
        else if (roll < 78)
        {
            string[] types = ["application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=", "application/x-www-form-urlencoded; charset=utf-16", "", "application/x-www-form-urlencoded; charset=\u00ff"];
            headers[0] = new("Content-Type", types[r.Next(types.Length)]);
            mutation = "content-type";
        }
        else if (roll < 82)
        {
            headers.Clear();
            mutation = "content-type-missing";
        }
        else
        {
            var flat = Flatten(parts);
            var kind = r.Next(4);
            var bytes = kind switch
            {
                0 => FlipBytes(r, flat),
                1 => flat[..r.Next(flat.Length)],
                2 => InsertAt(r, flat, InvalidUtf8Bytes(r)),
                _ => [.. "&&==&a&="u8, .. flat],
            };
            mutation = kind switch { 0 => "byte-flips", 1 => "truncated", 2 => "raw-invalid-utf8", _ => "empty-fields" };
            return new FuzzRequest(seed, index, target, name, mutation, "", HttpMethod.Post, path, bytes, headers);
        }
        return new FuzzRequest(seed, index, target, name, mutation, detail, HttpMethod.Post, path, Flatten(parts), headers);
    }

    private static byte[] Flatten(List<(byte[] Key, byte[] Value)> parts)
    {
        var list = new List<byte>();
        foreach (var (k, v) in parts)
        {
            if (list.Count > 0) list.Add((byte)'&');
            list.AddRange(k);
            list.Add((byte)'=');
            list.AddRange(v);
        }
        return [.. list];
    }

    private static string Text(FuzzPayloads.Payload p) => Encoding.Latin1.GetString(p.Bytes);

    private FuzzRequest WellKnown(Random r, int index)
    {
        string[] paths = ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/.well-known/oauth-protected-resource/wpcom/v2/mcp/v1",
            "/.well-known/oauth-protected-resource/sites/garden/wp-json/mcp/mcp-adapter-default-server", "/.well-known/oauth-authorization-server/wpcom/v2/mcp/v1"];
        var path = paths[r.Next(paths.Length)];
        var p = FuzzPayloads.UrlText(r);
        var where = r.Next(3);
        var full = where switch { 0 => path + "/" + Text(p), 1 => path + "?x=" + Text(p), _ => path.Replace("garden", Text(p), StringComparison.Ordinal) + "/" + Text(p) };
        return new FuzzRequest(seed, index, "well-known", path, p.Kind, where switch { 0 => "path", 1 => "query", _ => "path segment" }, HttpMethod.Get, full, null, [new("Accept", "application/json")]);
    }

    private FuzzRequest Authorize(Random r, int index)
    {
        var q = new List<(string Key, string Value)>
        {
            ("response_type", "code"), ("client_id", ctx.AuthorizeClientId), ("redirect_uri", Uri.EscapeDataString(OAuthTestServer.Redirect)),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), ("code_challenge_method", "S256"), ("state", "st"), ("scope", "content%3Aread"),
            ("resource", Uri.EscapeDataString("http://127.0.0.1/wpcom/v2/mcp/v1")),
        };
        var i = r.Next(q.Count + 1);
        var p = FuzzPayloads.UrlText(r);
        string detail;
        if (i == q.Count)
        {
            q.Add((q[r.Next(q.Count)].Key, Text(p)));
            detail = "duplicate " + q[^1].Key;
        }
        else
        {
            q[i] = (q[i].Key, Text(p));
            detail = q[i].Key;
        }
        var signedIn = r.Next(3) > 0;
        var headers = new List<KeyValuePair<string, string>> { new("Accept", r.Next(2) == 0 ? "text/html" : "*/*") };
        if (signedIn) headers.Add(new("Cookie", ctx.AliceCookie));
        var url = "/oauth2-1/authorize?" + string.Join('&', q.Select(x => x.Key + "=" + x.Value));
        return new FuzzRequest(seed, index, signedIn ? "authorize-signed-in" : "authorize-anonymous", "authorize", p.Kind, detail, HttpMethod.Get, url, null, headers);
    }

    private static readonly string[] ReturnUrls =
        ["/%00", "/%01x", "/a%0Ab", "/a%0D%0ALocation:%20http://evil.example", "//evil.example", "/%5Cevil.example", "%5C%5Cevil.example", "/%E2%80%AE", "javascript:alert(1)",
         "http://127.0.0.1/x", "/%7F", "/a%09b", "/%1B", "/%C0%AF", "/%FF", "/%ED%A0%80", "%2F%2Fevil.example", "/" + new string('a', 3000), "~/x", "/account%00/apps"];

    private FuzzRequest LoginGet(Random r, int index)
    {
        var useList = r.Next(2) == 0;
        var value = useList ? ReturnUrls[r.Next(ReturnUrls.Length)] : "/" + Text(FuzzPayloads.UrlText(r));
        var headers = new List<KeyValuePair<string, string>> { new("Accept", "text/html") };
        if (r.Next(3) == 0) headers.Add(new("Cookie", ctx.AliceCookie));
        return new FuzzRequest(seed, index, "login-get", "login", "return-url", value.Length > 60 ? value[..60] : value, HttpMethod.Get, "/login?ReturnUrl=" + value, null, headers);
    }

    private FuzzRequest LoginPost(Random r, int index)
    {
        var value = r.Next(2) == 0 ? ReturnUrls[r.Next(ReturnUrls.Length)] : "/" + Text(FuzzPayloads.UrlText(r));
        var right = r.Next(2) == 0;
        var body = $"Login=dave&Password={Uri.EscapeDataString(right ? HardeningSite.DavePassword : "wrong")}&ReturnUrl={value}&__RequestVerificationToken={Uri.EscapeDataString(ctx.LoginAntiforgery)}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/x-www-form-urlencoded"), new("Accept", "text/html"), new("Cookie", ctx.LoginCookie),
        };
        return new FuzzRequest(seed, index, right ? "login-post-right-password" : "login-post-wrong-password", "login", "return-url", value.Length > 60 ? value[..60] : value,
            HttpMethod.Post, "/login?ReturnUrl=" + value, Encoding.Latin1.GetBytes(body), headers);
    }
}
