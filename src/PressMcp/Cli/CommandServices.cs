using System.CommandLine;
using PressMcp.Storage;

namespace PressMcp.Cli;

/// <summary>
/// Builds the services for one command run (no web host), migrates the database, and runs the command
/// inside a scope. Logging is kept to warnings so command output stays readable.
/// </summary>
internal sealed class CommandServices(GlobalOptions globals, CliConsole console)
{
    public async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var storage = globals.ReadStorage(parse, out var error);
        if (storage is null) return console.Fail(error!, ExitCodes.Usage);

        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddPressCore(storage, GlobalOptions.DefaultPublicUrl());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        // What the server checks when it starts (ValidateOnStart), a command checks before it does anything.
        try
        {
            _ = provider.GetRequiredService<Content.ContentLimits>();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            return console.Fail(string.Join("; ", ex.Failures), ExitCodes.Usage);
        }
        try
        {
            await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return console.Fail($"cannot open the {storage.Provider.ToString().ToLowerInvariant()} database: {FirstLine(ex.Message)}");
        }
        await using var scope = provider.CreateAsyncScope();
        return await body(scope.ServiceProvider, ct);
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
