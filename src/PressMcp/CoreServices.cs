using Microsoft.Extensions.DependencyInjection.Extensions;
using PressMcp.Accounts;
using PressMcp.Import;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp;

/// <summary>The services both the web host and the command line use: storage, accounts, sites, import and export.</summary>
internal static class CoreServices
{
    public static IServiceCollection AddPressCore(this IServiceCollection services, StorageSettings storage, PublicUrl publicUrl)
    {
        // The web host registers its configuration (files, environment, command line); a command reads the environment.
        services.TryAddSingleton<IConfiguration>(_ => new ConfigurationBuilder().AddEnvironmentVariables().Build());
        services.AddPressOptions<Content.ContentLimits>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(publicUrl);
        // Deferred<T> of any service: resolved from the request's scope on first use.
        services.AddTransient(typeof(Deferred<>));
        services.AddPressStorage(storage);
        services.AddPressIdentityCore();
        services.AddScoped<UserAccounts>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<Accounts.AppPasswords.AppPasswordStore>();
        services.AddSingleton<SiteUrls>();
        services.AddScoped<SiteDirectory>();
        services.AddScoped<SiteResolver>();
        services.AddScoped<Sites.Pages.SitePages>();
        // Pages, abilities and the site commands all read and write settings through it.
        services.AddScoped<Sites.Abilities.SiteSettingsStore>();
        services.AddSingleton(Content.Search.SearchRanking.Default);
        // One per process: answers kept until the site's content version changes (bounded, see the class).
        services.AddSingleton(_ => new Content.Search.SearchResultCache());
        // One per process: words' posting lists of the current content, for SQLite's bm25 searches (bounded by Search:HeldListsMegabytes).
        services.AddPressOptions<Content.Search.SearchOptions>();
        services.AddSingleton(sp => new Content.Search.SearchPostings(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<ILogger<Content.Search.SearchPostings>>(),
            sp.GetRequiredService<Content.Search.SearchOptions>().HeldListsBytes));
        // The same for PostgreSQL's counts and tier orders (PostgresSearchPostings; used on that provider only).
        services.AddSingleton(sp => new Content.Search.PostgresSearchPostings(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<ILogger<Content.Search.PostgresSearchPostings>>(),
            sp.GetRequiredService<Content.Search.SearchOptions>().HeldListsBytes));
        // Bounds the posts/search calls searching SQLite at once (see the class).
        services.AddSingleton<Content.Search.SearchGate>();
        services.AddScoped<Content.Search.PostSearch>();
        // The one path that writes posts and terms (abilities call it; so do tests that need content).
        services.AddScoped<Content.Authoring.PostEditor>();
        services.AddScoped<Content.Authoring.TermEditor>();
        services.AddScoped<Content.Authoring.TermReferences>();
        services.AddScoped<Demo.DemoGenerator>();
        services.AddPressImport();
        return services;
    }
}
