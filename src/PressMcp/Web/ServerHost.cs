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
        builder.Logging.SetMinimumLevel(settings.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // "Authorization failed" at Information for every anonymous request to a page or endpoint that needs a user.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Authorization", LogLevel.Warning);
        // One line per request (RequestLog) instead of the framework's dozen Information lines about routing, endpoints
        // and results; warnings and errors of every component are still written in full.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // "Now listening on", "Application started", the environment and content root: the serving line says what matters.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
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
        services.AddDataProtection().SetApplicationName("PressMcp");
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
        // The command line's flag is one more configuration source, read like the others (PublishingOptions).
        if (settings.PublishInterval is { } interval)
            builder.Configuration.AddInMemoryCollection([new(PublishingOptions.Section + ":" + nameof(PublishingOptions.ScheduleInterval), interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture))]);
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
        app.UseAuthentication();
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
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            string? setupCode = null;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                if (!await scope.ServiceProvider.GetRequiredService<UserAccounts>().AnyAsync(ct))
                    setupCode = app.Services.GetRequiredService<SetupGate>().IssueCode();
            }
            await app.StartAsync(ct);
            var data = settings.Storage.Provider == DatabaseProvider.Sqlite ? settings.Storage.SqlitePath : "postgres";
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
}
