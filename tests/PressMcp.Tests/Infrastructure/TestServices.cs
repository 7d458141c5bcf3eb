using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Infrastructure;

/// <summary>The core services (as the command line builds them) over a test store, migrated and ready.</summary>
public sealed class TestServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private TestServices(TestStore store, ServiceProvider provider)
    {
        Store = store;
        _provider = provider;
    }

    public TestStore Store { get; }
    public IServiceProvider Provider => _provider;

    public static async Task<TestServices> CreateAsync(TimeProvider? clock = null)
    {
        var store = await TestStore.CreateAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPressCore(store.Settings, PublicUrl.TryParse("http://127.0.0.1:5000", out _)!);
        if (clock is not null) services.AddSingleton(clock);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return new TestServices(store, provider);
    }

    public AsyncServiceScope Scope() => _provider.CreateAsyncScope();

    /// <summary>A user "boss" and the site "news" they administer: for tests that need one site and nothing else.</summary>
    internal async Task<Site> CreateNewsSiteAsync()
    {
        await using var scope = Scope();
        var user = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(new NewUser("boss", "b@example.com", "correct horse battery"));
        Assert.True(user.Succeeded, user.Problem?.Message);
        var site = await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite("news", "News", "boss"));
        Assert.True(site.Succeeded, site.Problem?.Message);
        return site.Value!;
    }

    public async Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> body)
    {
        await using var scope = Scope();
        return await body(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Store.DisposeAsync();
    }
}
