namespace PressMcp.Mcp;

/// <summary>
/// How a request is served. <see cref="Legacy"/>: the handshake revisions (2025-06-18, 2025-11-25), where
/// <c>initialize</c> negotiates a version that later requests repeat in the <c>MCP-Protocol-Version</c> header.
/// <see cref="Modern"/>: 2026-07-28 and later, where every request carries its version and the client's
/// capabilities in <c>params._meta</c> and nothing is negotiated (spec 2026-07-28, basic/versioning "Terminology").
/// </summary>
internal enum McpEra
{
    Legacy,
    Modern,
}

/// <summary>The revision a request is served under: its era and the version it named (null: a legacy request that named none).</summary>
internal sealed record McpRevision(McpEra Era, string? Version)
{
    public static readonly McpRevision LegacyUnnamed = new(McpEra.Legacy, null);

    public bool IsModern => Era == McpEra.Modern;
}

/// <summary>The protocol revisions this server speaks, on one endpoint ("dual-era", spec 2026-07-28 basic/versioning).</summary>
internal static class McpVersions
{
    public const string July2026 = "2026-07-28";
    public const string November2025 = "2025-11-25";
    public const string June2025 = "2025-06-18";
    /// <summary>The first revision (HTTP+SSE era), which the MCP Adapter still negotiates; spoken on the adapter endpoint only.</summary>
    public const string November2024 = "2024-11-05";

    /// <summary>Newest first: what <c>server/discover</c> and UnsupportedProtocolVersionError list.</summary>
    public static readonly IReadOnlyList<string> All = [July2026, November2025, June2025];

    /// <summary>The revisions <c>initialize</c> negotiates, newest first (2026-07-28 has no handshake).</summary>
    public static readonly IReadOnlyList<string> Handshake = [November2025, June2025];

    /// <summary>What the MCP Adapter 0.5 negotiates (its McpVersionNegotiator), newest first.</summary>
    public static readonly IReadOnlyList<string> AdapterHandshake = [November2025, June2025, November2024];

    public static bool IsSupported(string version) => version is July2026 or November2025 or June2025;

    public static bool IsModern(string version) => version is July2026;
}

/// <summary>The reserved <c>_meta</c> keys of spec 2026-07-28 (basic/index "General fields: _meta").</summary>
internal static class McpMeta
{
    public const string Key = "_meta";
    public const string ProtocolVersion = "io.modelcontextprotocol/protocolVersion";
    public const string ClientInfo = "io.modelcontextprotocol/clientInfo";
    public const string ClientCapabilities = "io.modelcontextprotocol/clientCapabilities";
    public const string ServerInfo = "io.modelcontextprotocol/serverInfo";
}

/// <summary>The Streamable HTTP request headers (spec 2026-07-28 basic/transports/streamable-http "Request Metadata").</summary>
internal static class McpHeaders
{
    public const string ProtocolVersion = "MCP-Protocol-Version";
    public const string Method = "Mcp-Method";
    public const string Name = "Mcp-Name";
}

/// <summary>
/// MCP's own JSON-RPC error codes, from the sub-range 2026-07-28 reserves for the specification
/// (basic/index "Error Codes").
/// </summary>
internal static class McpErrors
{
    public const int HeaderMismatch = -32020;
    public const int MissingRequiredClientCapability = -32021;
    public const int UnsupportedProtocolVersion = -32022;
}
