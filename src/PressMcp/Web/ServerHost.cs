using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using PressMcp.Accounts;
using PressMcp.Mcp;
using PressMcp.Observability;
using PressMcp.Media;
using PressMcp.OAuth;
using PressMcp.Publishing;
using PressMcp.Storage;

namespace PressMcp.Web;

/// <summary>Builds the web application: one Add and one Map per capability, in the order requests meet them.</summary>
internal static class ServerHost
{
    /// <param name="configureTestHost">Tests only: replace services (the clock, the metadata document fetcher's handler) or configuration.</param>
    /// <param name="configureTestEndpoints">Tests only: map endpoints (a minimal protected MCP endpoint) before the app starts.</param>
    public static WebApplication Build(ServeSettings settings, Action<WebApplicationBuilder>? configureTestHost = null, Action<WebApplication>? configureTestEndpoints = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Razor pages and embedded assets are found in this assembly even when a test host starts it.
            ApplicationName = typeof(ServerHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // One configuration, the command's (PressConfiguration: command line, environment, the documented file); not the
        // framework's defaults, which read appsettings.json beside the binary instead of where the person runs it.
        foreach (var replaced in builder.Configuration.Sources.Where(Cli.PressConfiguration.IsReplacedHostSource).ToList())
            builder.Configuration.Sources.Remove(replaced);
        builder.Configuration.AddInMemoryCollection(LogDefaults);
        builder.Configuration.AddConfiguration(settings.Configuration);
        ConfigureLogging(builder.Logging, settings);
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
        });

        var services = builder.Services;
        services.AddPressCore(settings.Storage, settings.PublicUrl);
        services.AddSingleton<Content.Search.SearchIndexMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<Content.Search.SearchIndexMaintenance>());
        services.AddSingleton(settings);
        services.AddSingleton<SetupGate>();

        services.AddSingleton<DatabaseXmlRepository>();
        var keyProtection = KeyEncryption.Configure(services.AddDataProtection().SetApplicationName("PressMcp"), builder.Configuration);
        services.AddSingleton(new KeyEncryptionState(keyProtection));
        // Our start-up line says it once, with what to do; the framework's says "may be persisted unencrypted" at every new key.
        if (keyProtection == KeyProtection.None) builder.Logging.AddFilter(KeyEncryption.FrameworkWarningCategory, LogLevel.Error);
        services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseXmlRepository>((o, repo) => o.XmlRepository = repo);

        new IdentityBuilder(typeof(User), services).AddSignInManager();
        services.AddPressSignIn();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        var httpsOnly = settings.PublicUrl.Uri.Scheme == Uri.UriSchemeHttps;
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "pressmcp.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/login";
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            // Redirect to the sign-in page by path: never an absolute URL built from the request's Host header.
            o.Events.OnRedirectToLogin = ctx =>
            {
                var uri = new Uri(ctx.RedirectUri, UriKind.RelativeOrAbsolute);
                ctx.Response.Redirect(uri.IsAbsoluteUri ? uri.PathAndQuery : ctx.RedirectUri);
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = o.Events.OnRedirectToLogin;
            // A new security stamp (password changed or reset) or a disabled account ends the session at its next request.
            o.Events.OnValidatePrincipal = Accounts.SignIn.SessionCheck.ValidatePrincipalAsync;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pressmcp.csrf";
            o.Cookie.SecurePolicy = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            // X-Frame-Options: DENY is set for every response by SecurityHeaders.
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddAuthorization();
        services.AddRazorPages(o => o.RootDirectory = "/");
        services.AddPressOAuth(builder.Configuration, settings.AllowedOrigins);
        services.AddPublicSites();
        services.AddPressMcp(builder.Configuration);
        services.AddPressMedia(builder.Configuration);
        services.AddPressHealth();
        services.AddPressAdministration();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Trust forwarded headers only from the proxies the operator named; by default none (not even loopback).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var ip in settings.TrustedProxies) o.KnownProxies.Add(ip);
            foreach (var net in settings.TrustedNetworks) o.KnownIPNetworks.Add(net);
            o.ForwardLimit = 1;
        });

        configureTestHost?.Invoke(builder);
        builder.AddPressMetrics(); // last: it reads the configuration as every source (tests' included) left it
        var app = builder.Build();
        // With no trusted proxy configured the middleware is left out entirely: ASP.NET Core treats empty
        // KnownProxies and KnownIPNetworks as "trust every peer", which would let anyone forge X-Forwarded-*.
        if (settings.TrustedProxies.Count > 0 || settings.TrustedNetworks.Count > 0)
            app.UseForwardedHeaders();
        app.UseMiddleware<RequestLog>();
        app.UsePressSecurityHeaders();
        // Browsers get a readable page for an empty error answer; API clients keep their bodies untouched.
        app.UseWhen(
            ctx => ctx.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase),
            html => html.UseStatusCodePagesWithReExecute("/error/{0}"));
        // Sites with a host name: routed as /sites/{slug}/…, so this runs before routing.
        app.UsePublicSiteHosts();
        app.UseRouting();
        app.UseCors();
        app.UseRateLimiter();
        // The sign-in cookie (the default scheme) is read for every endpoint but the MCP ones: their policy authenticates
        // their own scheme, and a cookie must never count there (McpAuthenticationSchemes.IsMcpEndpoint). Every MCP call
        // saves the cookie handler's work; pages, OAuth and media authenticate as before.
        app.UseWhen(http => !McpAuthenticationSchemes.IsMcpEndpoint(http), pages => pages.UseAuthentication());
        // WebApplication adds UseAuthentication at the front of the pipeline, for every request, unless the app called it;
        // it looks for the key UseAuthentication sets in the app's properties, and the branch above set it in its own copy
        // of them. Without this the cookie handler ran on every MCP call after all (McpAuthenticationTests proves it does not).
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapPressAssets();
        app.MapPressHealth();
        app.MapPressMetrics();
        app.MapPressOAuth();
        app.MapPressMcp();
        app.MapPressMedia();
        app.MapRazorPages();
        configureTestEndpoints?.Invoke(app);
        return app;
    }

    /// <summary>
    /// Builds the app, brings the database to the current schema, opens first-run setup when there is no user
    /// (printing the one-time code to <paramref name="console"/>, never to the log), and starts listening.
    /// </summary>
    public static async Task<WebApplication> StartAsync(
        ServeSettings settings, TextWriter console, CancellationToken ct = default,
        Action<WebApplicationBuilder>? configureTestHost = null, Action<WebApplication>? configureTestEndpoints = null)
    {
        var app = Build(settings, configureTestHost, configureTestEndpoints);
        try
        {
            await PrepareDatabaseAsync(app.Services.GetRequiredService<DatabaseMigrator>(), settings.Migrate, ct);
            KeyEncryption.LogState(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyEncryption).FullName!),
                app.Services.GetRequiredService<KeyEncryptionState>().Protection);
            string? setupCode = null;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                if (!await scope.ServiceProvider.GetRequiredService<UserAccounts>().AnyAsync(ct))
                    setupCode = app.Services.GetRequiredService<SetupGate>().IssueCode();
            }
            await app.StartAsync(ct);
            var data = settings.Storage.Provider == DatabaseProvider.Sqlite ? settings.Storage.SqlitePath : "postgres";
            // To the console, never to the log: with --log-format json the caller passes standard error here, so standard
            // output holds nothing but log objects.
            console.WriteLine($"PressMcp is serving {settings.PublicUrl.Value} (listening on {string.Join(", ", settings.Urls)}; data: {data})");
            // Last, once the server listens: the code is what the person needs next, and nothing scrolls it away.
            if (setupCode is not null)
            {
                console.WriteLine();
                console.WriteLine("  This server has no users yet. Create the first administrator at");
                console.WriteLine($"    {settings.PublicUrl.Value}/setup");
                console.WriteLine($"  with the one-time setup code: {setupCode}");
                console.WriteLine();
            }
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The key <c>UseAuthentication</c> records in the application's properties, which WebApplication reads to decide
    /// whether to add the middleware itself (ASP.NET Core's <c>AuthAppBuilderExtensions</c>; not public).
    /// </summary>
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    /// <summary>The framework's per-request Information lines are replaced by RequestLog; configuration can still raise any of them.</summary>
    private static readonly Dictionary<string, string?> LogDefaults = new()
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        // "Authorization failed" for every anonymous request to a page that needs a user; routing, endpoint and result
        // lines: a dozen per request. Warnings and errors of every component are still written in full.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // The hosting layer's request-start and request-end lines (Information, off above). While this category is enabled at
        // any level, ASP.NET Core also starts an Activity and opens a logging scope for every request, whether or not anything
        // reads them (no tracing is exported, and the console formatters leave scopes out): a cost on every MCP call. Errors
        // of a request are logged by Kestrel and the exception handler under their own categories; RequestLog writes the
        // request lines.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        // "Now listening on", "Application started", the environment and content root: the serving line says what matters.
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };

    private static void ConfigureLogging(ILoggingBuilder logging, ServeSettings settings)
    {
        // The least level when the configuration names none (Logging:LogLevel:Default, --log-level).
        logging.SetMinimumLevel(settings.MinimumLogLevel);
        logging.ClearProviders();
        if (settings.JsonLogs)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }
    }

    /// <summary>Migrates, or with <c>--no-migrate</c> checks that nothing is pending and refuses to start otherwise.</summary>
    private static async Task PrepareDatabaseAsync(DatabaseMigrator migrator, bool migrate, CancellationToken ct)
    {
        if (migrate)
        {
            await migrator.MigrateAsync(ct);
            return;
        }
        var pending = await migrator.PendingAsync(ct);
        if (pending.Count > 0)
            throw new SchemaBehindException($"the database schema is behind this version ({pending.Count} migration(s) not applied, the last {pending[^1]}); " +
                "run 'pressmcp migrate' first, or start without --no-migrate");
    }
}

/// <summary>Whether Data Protection keys are encrypted at rest (a certificate is configured).</summary>
internal sealed record KeyEncryptionState(KeyProtection Protection)
{
    public bool Encrypted => Protection != KeyProtection.None;
}

/// <summary><c>serve --no-migrate</c> on a database that lacks migrations of this build.</summary>
internal sealed class SchemaBehindException(string message) : Exception(message);
