using PressMcp.Cli;

namespace PressMcp.Tests.Infrastructure;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}

/// <summary>Runs the real command-line entry point in process, against a test store.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(TestStore store, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync([.. args, .. store.CliArgs], output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static async Task<CliResult> RunRawAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
