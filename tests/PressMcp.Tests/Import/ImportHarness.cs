using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Import;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Import;

/// <summary>A migrated store with an operator and sites, the importer and exporter behind the real services, and a temp folder for files.</summary>
public sealed class ImportHarness : IAsyncDisposable
{
    private ImportHarness(TestServices services, string files)
    {
        Services = services;
        Files = files;
    }

    public TestServices Services { get; }
    public TestStore Store => Services.Store;
    public string Files { get; }

    public static async Task<ImportHarness> CreateAsync()
    {
        var services = await TestServices.CreateAsync();
        var files = Path.Combine(services.Store.DataDirectory, "files");
        Directory.CreateDirectory(files);
        await using (var scope = services.Scope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<UserAccounts>()
                .CreateAsync(new NewUser("operator", "operator@example.com", "correct horse battery", IsServerAdmin: true));
            Assert.True(created.Succeeded, created.Problem?.Message);
        }
        return new ImportHarness(services, files);
    }

    internal async Task<Site> CreateSiteAsync(string slug, string timeZone = "UTC")
    {
        await using var scope = Services.Scope();
        var site = await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite(slug, slug, "operator", TimeZone: timeZone));
        Assert.True(site.Succeeded, site.Problem?.Message);
        return site.Value!;
    }

    internal async Task<ImportReport> ImportAsync(Site site, string path)
    {
        await using var scope = Services.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<WxrImporter>().ImportAsync(site, path);
        Assert.True(result.Succeeded, result.Problem?.Message);
        return result.Value!;
    }

    internal async Task<T> WithDbAsync<T>(Func<PressDbContext, Task<T>> body)
    {
        await using var scope = Services.Scope();
        return await body(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    /// <summary>Row counts of every table of the model, and the sites' id sequences: what "the database is unchanged" means here.</summary>
    public async Task<Dictionary<string, long>> SnapshotAsync() => await WithDbAsync(async db =>
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync();
        try
        {
            // Table names come from the model, never from input.
            foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct())
            {
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts[table] = Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        foreach (var s in await db.Sites.AsNoTracking().ToListAsync())
        {
            counts[$"{s.Slug}.next_post_id"] = s.NextPostId;
            counts[$"{s.Slug}.next_comment_id"] = s.NextCommentId;
            counts[$"{s.Slug}.next_term_id"] = s.NextTermId;
        }
        return counts;
    });

    public string Write(string name, string content) => WxrFiles.Write(Files, name, content);

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
