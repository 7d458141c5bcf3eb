using System.Net;
using System.Net.Sockets;

namespace PressMcp.Tests.Cli;

/// <summary><c>pressmcp serve</c> on a port another program holds: one line, nothing else printed, nothing created.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_OnATakenPort_SaysSoInOneLine_BeforeAnythingElse()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var data = Path.Combine(Path.GetTempPath(), "pressmcp-port-" + Guid.NewGuid().ToString("N"));

        var r = await CliRunner.RunRawAsync("serve", "--data", data, "--urls", $"http://127.0.0.1:{port}");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal($"error: 127.0.0.1:{port} is in use; pass --urls http://127.0.0.1:PORT", r.Error.Trim());
        Assert.Equal("", r.Out);
        Assert.False(Directory.Exists(data), "nothing is created before the port is known to be free");
    }
}
