using Microsoft.EntityFrameworkCore;
using PressMcp.Demo;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Bench;

/// <summary>The core services over a benchmark data directory (SQLite by default; PostgreSQL from the usual environment variables).</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly StorageSettings _storage;

    private BenchEnvironment(ServiceProvider provider, StorageSettings storage)
    {
        _provider = provider;
        _storage = storage;
    }

    public static async Task<BenchEnvironment> OpenAsync(string dataDir)
    {
        var provider = StorageSettings.ParseProvider(Environment.GetEnvironmentVariable("PRESSMCP_DATABASE")) ?? DatabaseProvider.Sqlite;
        var storage = new StorageSettings(Path.GetFullPath(dataDir), provider, Environment.GetEnvironmentVariable("PRESSMCP_CONNECTION_STRING"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPressCore(storage, PublicUrl.TryParse("http://127.0.0.1:5000", out _)!);
        var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return new BenchEnvironment(sp, storage);
    }

    public StorageSettings Storage => _storage;

    public AsyncServiceScope Scope() => _provider.CreateAsyncScope();

    public string Describe() => _storage.Provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";

    /// <summary>The demo generator's seed of the benchmark site: its words are the ones <see cref="SearchShapes"/> asks for.</summary>
    public const int SiteSeed = 1;

    /// <summary>The site "bench-{posts}" filled by the demo generator with <see cref="SiteSeed"/>, generated on first use.</summary>
    public async Task<long> EnsureDemoSiteAsync(int posts)
    {
        var slug = $"bench-{posts}";
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Slug == slug);
        if (site is not null) return site.Id;
        Console.WriteLine($"Generating {posts:N0} posts into {slug} (once; kept in the data directory)…");
        var report = await scope.ServiceProvider.GetRequiredService<DemoGenerator>().GenerateAsync(new DemoOptions(slug, posts, SiteSeed));
        if (!report.Succeeded) throw new InvalidOperationException(report.Problem!.Message);
        Console.WriteLine($"  generated in {report.Value!.Elapsed.TotalSeconds:F1} s");
        if (_storage.Provider == DatabaseProvider.Postgres)
        {
            // Statistics and the visibility map for the planner before anything is measured: autovacuum would get to them
            // during the first timed run.
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
            Console.WriteLine($"  VACUUM ANALYZE in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        }
        return report.Value.SiteId;
    }

    /// <summary>A new empty site owned by a fresh user (imports create their own authors).</summary>
    public async Task<Site> CreateSiteAsync(string slug)
    {
        await using var scope = Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<PressMcp.Accounts.UserAccounts>();
        var owner = await accounts.FindByLoginAsync("bench-owner")
            ?? (await accounts.CreateAsync(new PressMcp.Accounts.NewUser("bench-owner", "bench-owner@bench.invalid", null))).Value!;
        var site = await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite(slug, slug, owner.UserName!));
        return site.Value ?? throw new InvalidOperationException(site.Problem!.Message);
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}
