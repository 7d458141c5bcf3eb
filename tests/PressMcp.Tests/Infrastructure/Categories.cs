namespace PressMcp.Tests.Infrastructure;

/// <summary>Test categories, one per stage of test.sh.</summary>
public static class Category
{
    public const string Name = "Category";
    public const string Unit = "Unit";
    public const string Integration = "Integration";
    /// <summary>Runs on SQLite in the integration stage and again on PostgreSQL in the storage stage.</summary>
    public const string Storage = "Storage";
    public const string Browser = "Browser";
    public const string Peers = "Peers";
    /// <summary>The MCP conformance suite against the real endpoint (needs Node 22 and the suite: tests/conformance/run.sh).</summary>
    public const string Conformance = "Conformance";
    /// <summary>
    /// Every documented example call of the systems PressMcp imitates, replayed against the running server
    /// (tests/PressMcp.Tests/Compatibility/Examples; docs/compatibility.md "Compatibility suite"). ./test.sh compatibility.
    /// </summary>
    public const string Compatibility = "Compatibility";
    /// <summary>
    /// The built server as its own process: the seeded fuzzer (no 5xx, still up, memory bounded) and the crash test
    /// (kill -9 under concurrent writes, on SQLite and on PostgreSQL). Its own stage: ./test.sh hardening.
    /// </summary>
    public const string Hardening = "Hardening";
    /// <summary>
    /// The deployment files against the executable deploy/publish.sh made (PRESSMCP_PUBLISHED: its folder): the binary
    /// serves and stops on SIGTERM, the systemd unit verifies, the Dockerfile's health check answers. ./test.sh deploy.
    /// </summary>
    public const string Deploy = "Deploy";
    /// <summary>
    /// Two server processes on one PostgreSQL database behind nginx (the shipped deploy/nginx/pressmcp.conf on
    /// loopback). Its own stage: ./test.sh instances (installs nginx, starts a throwaway PostgreSQL).
    /// </summary>
    public const string Instances = "Instances";
}
