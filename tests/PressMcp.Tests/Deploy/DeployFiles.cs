using System.Text.Json;
using System.Text.RegularExpressions;

namespace PressMcp.Tests.Deploy;

/// <summary>The files in deploy/, read as the tools that use them would: the systemd unit's directives and the Dockerfile's instructions.</summary>
public static partial class DeployFiles
{
    /// <summary>Where the unit expects the executable; deploy/publish.sh's output is installed there.</summary>
    public const string InstalledExecutable = "/opt/pressmcp/pressmcp";

    public static string UnitPath => RepositoryRoot.File("deploy", "pressmcp.service");
    public static string DockerfilePath => RepositoryRoot.File("deploy", "Dockerfile");
    public static string PublishScript => RepositoryRoot.File("deploy", "publish.sh");

    /// <summary>The unit's directives as (section, key, value), in order; comments and blank lines left out.</summary>
    public static List<(string Section, string Key, string Value)> UnitDirectives()
    {
        var result = new List<(string, string, string)>();
        var section = "";
        foreach (var raw in File.ReadLines(UnitPath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[') { section = line.Trim('[', ']'); continue; }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"not a directive: {line}");
            result.Add((section, line[..eq], line[(eq + 1)..]));
        }
        return result;
    }

    public static string Service(string key) =>
        UnitDirectives().Where(d => d.Section == "Service" && d.Key == key).Select(d => d.Value).LastOrDefault()
        ?? throw new Xunit.Sdk.XunitException($"the unit sets no {key}");

    /// <summary>The Dockerfile's instructions (continuation lines joined) as (instruction, arguments), in order.</summary>
    public static List<(string Instruction, string Arguments)> DockerInstructions()
    {
        var joined = ContinuedLine().Replace(string.Join('\n', File.ReadLines(DockerfilePath).Where(l => !l.TrimStart().StartsWith('#'))), " ");
        return [.. joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)
            .Select(l => (l.Split(' ', 2)[0].ToUpperInvariant(), l.Split(' ', 2) is [_, var rest] ? rest.Trim() : ""))];
    }

    /// <summary>An exec-form argument list (<c>["a", "b"]</c>), as Docker reads it: JSON.</summary>
    public static string[] ExecForm(string arguments) => JsonSerializer.Deserialize<string[]>(arguments)!;

    [GeneratedRegex(@"\\\n\s*")]
    private static partial Regex ContinuedLine();
}
