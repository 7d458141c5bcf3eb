using System.CommandLine;
using PressMcp.Observability;
using PressMcp.Storage;

namespace PressMcp.Cli;

/// <summary>
/// Builds the services for one command run (no web host), migrates the database, and runs the command
/// inside a scope. Logging is kept to warnings so command output stays readable.
/// </summary>
internal sealed class CommandServices(GlobalOptions globals, CliConsole console)
{
    /// <summary>This run's configuration and storage; null with a one-line <paramref name="error"/> (a usage error).</summary>
    public (IConfiguration Configuration, StorageSettings Storage)? Read(ParseResult parse, out string? error)
    {
        var configuration = globals.ReadConfiguration(parse, [], out error);
        if (configuration is null) return null;
        var storage = GlobalOptions.ReadStorage(configuration, out error);
        return storage is null ? null : (configuration, storage);
    }

    public Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> body, CancellationToken ct) =>
        RunAsync(parse, (sp, _, ct) => body(sp, ct), ct);

    /// <param name="body">Gets the names of the migrations the run applied (empty when the database was current).</param>
    public async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, IReadOnlyList<string>, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        if (Read(parse, out var error) is not var (configuration, storage)) return console.Fail(error!, ExitCodes.Usage);

        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(configuration);
        services.AddPressCore(storage, GlobalOptions.DefaultPublicUrl(configuration));
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
        // A command's measurements (an import's throughput) go to the collector the server would push to; Prometheus
        // needs a running server, so a command ignores it.
        var metricsOptions = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (metricsOptions.Problems().FirstOrDefault(p => p is not null) is { } metricsProblem) return console.Fail(metricsProblem, ExitCodes.Usage);
        using var metrics = MetricsServices.StartCommandExport(metricsOptions);
        IReadOnlyList<string> applied;
        try
        {
            applied = await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return console.Fail($"cannot open the {storage.Provider.ToString().ToLowerInvariant()} database: {FirstLine(ex.Message)}");
        }
        await using var scope = provider.CreateAsyncScope();
        return await body(scope.ServiceProvider, applied, ct);
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
