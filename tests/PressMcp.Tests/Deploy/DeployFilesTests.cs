namespace PressMcp.Tests.Deploy;

/// <summary>
/// deploy/pressmcp.service and deploy/Dockerfile agree with deploy/publish.sh (the executable's name and place) and keep
/// the promises docs/deployment.md makes (a user of its own, a hardened sandbox, a health check on /healthz). Read as
/// files here; the deploy stage runs them against the published executable (PublishedExecutableTests).
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class DeployFilesTests
{
    [Fact]
    public void SystemdUnit_ExecStart_RunsThePublishedExecutableServe()
    {
        var exec = DeployFiles.Service("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(DeployFiles.InstalledExecutable, exec[0]);
        // publish.sh writes OUTPUT_DIR/<assembly name>: the file that is copied to the path above.
        Assert.Equal(typeof(PressMcp.Program).Assembly.GetName().Name, Path.GetFileName(exec[0]));
        Assert.Contains("-o \"$OUT\"", File.ReadAllText(DeployFiles.PublishScript), StringComparison.Ordinal);
        Assert.Contains("echo \"published $OUT/pressmcp\"", File.ReadAllText(DeployFiles.PublishScript), StringComparison.Ordinal);
        Assert.Equal("serve", exec[1]);
    }

    [Theory]
    [InlineData("DynamicUser", "yes")]
    [InlineData("User", "pressmcp")]
    [InlineData("StateDirectory", "pressmcp")]
    [InlineData("Environment", "PRESSMCP_DATA=%S/pressmcp")]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("PrivateDevices", "yes")]
    [InlineData("CapabilityBoundingSet", "")]
    [InlineData("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX")]
    [InlineData("SystemCallFilter", "@system-service")]
    [InlineData("Restart", "on-failure")]
    [InlineData("KillSignal", "SIGTERM")]
    public void SystemdUnit_Service_HasHardeningAndRestartDirective(string key, string value) =>
        Assert.Contains(DeployFiles.UnitDirectives(), d => d.Section == "Service" && d.Key == key && d.Value == value);

    [Fact]
    public async Task SystemdUnit_PublicUrlAndDataDirectory_ComeFromTheEnvironmentTheServerReads()
    {
        var environment = DeployFiles.UnitDirectives().Where(d => d.Key == "Environment").Select(d => d.Value.Split('=')[0]).ToList();
        Assert.Contains("PRESSMCP_PUBLIC_URL", environment);
        Assert.Contains("PRESSMCP_DATA", environment);
        // The names the serve command documents for its options (its --help text), so the unit sets what the server reads.
        var help = (await CliRunner.RunRawAsync("serve", "--help")).Out;
        Assert.Contains("env PRESSMCP_PUBLIC_URL", help, StringComparison.Ordinal);
        Assert.Contains("env PRESSMCP_DATA", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_BuildsWithPublishScriptAndRunsUnprivilegedWithHealthCheck()
    {
        var steps = DeployFiles.DockerInstructions();
        var froms = steps.Where(s => s.Instruction == "FROM").Select(s => s.Arguments).ToList();
        Assert.Equal(2, froms.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 AS build", froms[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:10.0", froms[1], StringComparison.Ordinal);
        var final = steps.Skip(steps.FindLastIndex(s => s.Instruction == "FROM")).ToList();

        // The build stage publishes with the same script as everyone else, and the final stage takes its one file.
        Assert.Contains(steps, s => s.Instruction == "RUN" && s.Arguments == "bash deploy/publish.sh /out");
        Assert.Contains(final, s => s.Instruction == "COPY" && s.Arguments == "--from=build /out/pressmcp /app/pressmcp");
        Assert.Equal(["/app/pressmcp"], DeployFiles.ExecForm(final.Single(s => s.Instruction == "ENTRYPOINT").Arguments));
        Assert.Equal("serve", DeployFiles.ExecForm(final.Single(s => s.Instruction == "CMD").Arguments)[0]);

        var user = final.Single(s => s.Instruction == "USER").Arguments;
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        Assert.Equal("/data", final.Single(s => s.Instruction == "VOLUME").Arguments);
        Assert.Contains("PRESSMCP_DATA=/data", final.Single(s => s.Instruction == "ENV").Arguments, StringComparison.Ordinal);
        Assert.Contains("/healthz", final.Single(s => s.Instruction == "HEALTHCHECK").Arguments, StringComparison.Ordinal);
    }
}
