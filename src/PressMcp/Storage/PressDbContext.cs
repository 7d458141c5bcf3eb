using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Import;
using PressMcp.Media;
using PressMcp.OAuth.Model;
using PressMcp.Sites;

namespace PressMcp.Storage;

/// <summary>
/// The one EF Core model of PressMcp. Each provider has a sealed subclass only so that it owns its own
/// migration set (<see cref="SqlitePressDbContext"/>, <see cref="PostgresPressDbContext"/>); the model is the same but for
/// the columns SQLite's full-text index reads (<see cref="Content.Search.SearchText"/>).
/// Tables and columns are snake_case so hand-written SQL reads the same on both providers.
/// </summary>
internal abstract class PressDbContext(DbContextOptions options) : IdentityUserContext<User, long>(options)
{
    public DbSet<Site> Sites => Set<Site>();
    public DbSet<SiteOption> SiteOptions => Set<SiteOption>();
    public DbSet<SiteMember> SiteMembers => Set<SiteMember>();
    public DbSet<Post> Posts => Set<Post>();
    public DbSet<PostMeta> PostMeta => Set<PostMeta>();
    public DbSet<Term> Terms => Set<Term>();
    public DbSet<PostTerm> PostTerms => Set<PostTerm>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();
    public DbSet<MediaFolder> MediaFolders => Set<MediaFolder>();
    public DbSet<MediaRule> MediaRules => Set<MediaRule>();
    public DbSet<Media.Scans.MediaScan> MediaScans => Set<Media.Scans.MediaScan>();
    public DbSet<Media.Scans.MediaScanResult> MediaScanResults => Set<Media.Scans.MediaScanResult>();
    public DbSet<SiteDailyViews> SiteDailyViews => Set<SiteDailyViews>();
    public DbSet<PostDailyViews> PostDailyViews => Set<PostDailyViews>();
    public DbSet<Publishing.Statistics.SiteDailyReferrers> SiteDailyReferrers => Set<Publishing.Statistics.SiteDailyReferrers>();
    public DbSet<Publishing.Statistics.SiteDailyDevices> SiteDailyDevices => Set<Publishing.Statistics.SiteDailyDevices>();
    public DbSet<StoredDataProtectionKey> DataProtectionKeys => Set<StoredDataProtectionKey>();
    public DbSet<OAuthClient> OAuthClients => Set<OAuthClient>();
    public DbSet<OAuthGrant> OAuthGrants => Set<OAuthGrant>();
    public DbSet<OAuthGrantSite> OAuthGrantSites => Set<OAuthGrantSite>();
    public DbSet<OAuthGrantEvent> OAuthGrantEvents => Set<OAuthGrantEvent>();
    public DbSet<OAuthCode> OAuthCodes => Set<OAuthCode>();
    public DbSet<OAuthToken> OAuthTokens => Set<OAuthToken>();
    public DbSet<ImportKey> ImportKeys => Set<ImportKey>();
    public DbSet<Mcp.Settings.McpAccountSetting> McpAccountSettings => Set<Mcp.Settings.McpAccountSetting>();
    public DbSet<Mcp.Settings.McpToolSetting> McpToolSettings => Set<Mcp.Settings.McpToolSetting>();
    public DbSet<Mcp.Settings.McpSiteSetting> McpSiteSettings => Set<Mcp.Settings.McpSiteSetting>();
    public DbSet<Activity.ActivityEntry> ActivityLog => Set<Activity.ActivityEntry>();
    public DbSet<Activity.ChangeRecord> ChangeRecords => Set<Activity.ChangeRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every DateTime is UTC. SQLite returns them without a kind; say so on read, so both providers
        // hand the same values to the rest of the code (and Npgsql's timestamptz accepts them on write).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PressDbContext).Assembly, t => t.Namespace?.StartsWith("PressMcp", StringComparison.Ordinal) == true);

        builder.Entity<User>().ToTable("users");
        builder.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        builder.Entity<Site>().ToTable("sites");
        builder.Entity<SiteOption>().ToTable("site_options");
        builder.Entity<SiteMember>().ToTable("site_members");
        builder.Entity<Post>().ToTable("posts");
        builder.Entity<PostMeta>().ToTable("post_meta");
        builder.Entity<Term>().ToTable("terms");
        builder.Entity<PostTerm>().ToTable("post_terms");
        builder.Entity<Comment>().ToTable("comments");
        builder.Entity<MediaFile>().ToTable("media_files");
        builder.Entity<MediaFolder>().ToTable("media_folders");
        builder.Entity<SiteDailyViews>().ToTable("site_daily_views");
        builder.Entity<PostDailyViews>().ToTable("post_daily_views");
        builder.Entity<StoredDataProtectionKey>().ToTable("data_protection_keys");
        builder.Entity<OAuthClient>().ToTable("oauth_clients");
        builder.Entity<OAuthGrant>().ToTable("oauth_grants");
        builder.Entity<OAuthGrantSite>().ToTable("oauth_grant_sites");
        builder.Entity<OAuthGrantEvent>().ToTable("oauth_grant_events");
        builder.Entity<OAuthCode>().ToTable("oauth_codes");
        builder.Entity<OAuthToken>().ToTable("oauth_tokens");
        builder.Entity<ImportKey>().ToTable("import_keys");

        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}

internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

/// <summary>SQLite's model: the shared one, and the columns its full-text triggers read (<see cref="Content.Search.SearchText"/>).</summary>
internal sealed class SqlitePressDbContext(DbContextOptions<SqlitePressDbContext> options) : PressDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        Content.Search.SearchText.Configure(builder);
        base.OnModelCreating(builder);
        Activity.ActivityMapping.ConfigureSqlite(builder);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Content.Search.SearchText.Fill(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        Content.Search.SearchText.Fill(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}

internal sealed class PostgresPressDbContext(DbContextOptions<PostgresPressDbContext> options) : PressDbContext(options);

/// <summary>An ASP.NET Core Data Protection key, kept in the database so restarts and several instances share keys.</summary>
internal sealed class StoredDataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string? Xml { get; set; }
}
