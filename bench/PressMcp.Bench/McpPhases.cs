using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Content.Search;
using PressMcp.Mcp;
using PressMcp.Mcp.Settings;
using PressMcp.OAuth;
using PressMcp.OAuth.Bearer;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Bench;

/// <summary>
/// Where a <c>tools/call</c> spends its time on the server, phase by phase, one call at a time in process (no
/// sockets): each phase is run many times in a fresh DI scope, as a request would, and timed by wall clock and by
/// the thread's CPU time. The machine is shared, so CPU time per phase is the figure to compare.
/// </summary>
internal static partial class McpBench
{
    /// <param name="only">Runs only the phases whose name contains this (all when empty).</param>
    private static async Task PhasesAsync(IServiceProvider services, string token, string siteSlug, int iterations, string url, string only)
    {
        // One client, one call at a time: the whole request through the server's pipeline (its middleware included).
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var resources = services.GetRequiredService<McpResources>();
        // The endpoint the WordPress.com-style route maps, so its request carries the endpoint's real metadata (its policy).
        var wpcomEndpoint = services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .First(e => e.RoutePattern.RawText == "/wpcom/v2/mcp/v1" && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true);
        long userId;
        await using (var scope = services.CreateAsyncScope())
            userId = (await scope.ServiceProvider.GetRequiredService<UserAccounts>().FindByLoginAsync("bench-agent"))!.Id;
        long siteId;
        await using (var scope = services.CreateAsyncScope())
            siteId = scope.ServiceProvider.GetRequiredService<PressDbContext>().Sites.Single(s => s.Slug == siteSlug).Id;
        var editor = ReadAccess.For(new SiteActor(userId, false, Roles.Editor));
        // The load run's words (vocabulary ranks 100 to 3,000), drawn in a fixed sequence.
        var vocabulary = new PressMcp.Demo.DemoText(BenchEnvironment.SiteSeed).VocabularyByFrequency();
        var words = new Random(3);
        // Ten random posts of the site, in a fixed sequence.
        var idRandom = new Random(5);
        List<long> TenIds() => Enumerable.Range(0, 10).Select(_ => (long)idRandom.Next(1, 100000)).ToList();
        string Word() => vocabulary[words.Next(100, Math.Min(3000, vocabulary.Count))];

        HttpContext Http(IServiceProvider sp, string body)
        {
            var http = new DefaultHttpContext { RequestServices = sp };
            http.Request.Method = "POST";
            http.Request.Path = McpResources.WpcomPath;
            http.Request.Headers.Authorization = "Bearer " + token;
            http.Request.Headers.Accept = "application/json, text/event-stream";
            http.Request.Headers["MCP-Protocol-Version"] = "2025-11-25";
            http.Request.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Response.Body = Stream.Null;
            return http;
        }

        // What the issue asks a trivial call's parts to be costed by: the caller as the bench token gives it, the profile ability.
        var caller = new McpCaller(userId, false, Scopes.Expand(Scopes.Auth), null, "bench", "wpcom");
        var profileAbility = services.GetRequiredService<AbilityRegistry>().Find(UserProfileAbility.Name)!;
        var noArguments = System.Text.Json.JsonDocument.Parse("{}").RootElement;
        var clock = services.GetRequiredService<TimeProvider>();
        var logged = 0;
        // One activity entry as the invoker builds and queues it; every nth run also writes the queue, as the flusher does
        // once a second (so the mean is the entry's share of a batch write): 100, and 10,000 (a second of a busy server).
        Func<IServiceProvider, Task> Record(int flushEvery) => async sp =>
        {
            sp.GetRequiredService<ActivityLog>().Record(new ActivityEntry
            {
                CallId = CallIds.New(clock.GetUtcNow()), AtUtc = clock.GetUtcNow().UtcDateTime, UserId = userId, Client = "bench", Endpoint = "wpcom",
                Tool = "wpcom-mcp-user-profile", Ability = UserProfileAbility.Name, Outcome = CallOutcome.Succeeded, DurationMs = 0,
                Arguments = PressMcp.Activity.ArgumentSummary.Render(noArguments), IsWrite = false,
            });
            if (++logged % flushEvery == 0) await sp.GetRequiredService<ActivityFlusher>().FlushAsync();
        };

        // A posts-search call's body: ten posts for the word (the bench's words need no JSON escaping).
        string SearchCall(string word) =>
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wpcom-mcp-posts-search","arguments":{"wpcom_site":""" + "\"" + siteSlug + "\""
            + ""","search":""" + "\"" + word + "\"" + ""","per_page":10}}}""";

        // A posts-search answer's result (ten posts, "garden"), for what escaping its text block costs (McpReply.ToolResult).
        byte[] searchResult;
        await using (var scope = services.CreateAsyncScope())
        {
            var call = Http(scope.ServiceProvider, SearchCall("garden"));
            var body = new MemoryStream();
            call.Response.Body = body;
            await WholeAsync(scope.ServiceProvider, call);
            await call.Response.BodyWriter.FlushAsync();
            using var reply = System.Text.Json.JsonDocument.Parse(body.ToArray());
            searchResult = Encoding.UTF8.GetBytes(reply.RootElement.GetProperty("result").GetProperty("structuredContent").GetRawText());
        }
        var textBuffer = new System.Buffers.ArrayBufferWriter<byte>(4 * searchResult.Length);
        Task WriteText(Action<System.Text.Json.Utf8JsonWriter> write)
        {
            textBuffer.ResetWrittenCount();
            using var writer = new System.Text.Json.Utf8JsonWriter(textBuffer);
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
            return Task.CompletedTask;
        }

        var phases = new (string Name, Func<IServiceProvider, Task> Run)[]
        {
            ("whole tools/call user-profile over loopback HTTP, one at a time (server and client)", async _ =>
            {
                using var response = await http.SendAsync(Request("/wpcom/v2/mcp/v1", token, "wpcom-mcp-user-profile", new { }));
                await response.Content.LoadIntoBufferAsync();
                if (response.StatusCode != System.Net.HttpStatusCode.OK) throw new InvalidOperationException($"answered {(int)response.StatusCode}");
            }),
            ("scope + PressDbContext", sp => { sp.GetRequiredService<PressDbContext>(); return Task.CompletedTask; }),
            ("one trivial EF query (users by id)", sp => sp.GetRequiredService<UserAccounts>().AnyAsync()),
            ("access version (opens the request's connection)", sp => sp.GetRequiredService<AccessVersion>().CurrentAsync(default).AsTask()),
            ("bearer token → principal (cached, with the version)", sp => sp.GetRequiredService<BearerAuthenticator>().AuthenticateAsync(Http(sp, "{}"), resources.Wpcom)),
            ("the same through the endpoint's authentication scheme", sp => Http(sp, "{}").AuthenticateAsync(McpAuthenticationSchemes.Wpcom)),
            // What an MCP endpoint's request pays to be admitted (McpEndpointAuthorization, in place of the framework's
            // authentication and authorization middlewares): its scheme's handler asked directly, its principal the user.
            ("the endpoint's admission (McpEndpointAuthorization: the scheme's handler, its principal the user)", async sp =>
            {
                var http = Http(sp, "{}");
                http.SetEndpoint(wpcomEndpoint);
                var admitted = false;
                await new McpEndpointAuthorization(_ => { admitted = true; return Task.CompletedTask; }).InvokeAsync(http);
                if (!admitted) throw new InvalidOperationException("the endpoint refused the bench's token");
            }),
            // What the framework's authorization middleware asked of the same policy before (session 18): its evaluator.
            ("the endpoint's policy through the framework's evaluator (authenticate, authorize)", async sp =>
            {
                var http = Http(sp, "{}");
                var evaluator = sp.GetRequiredService<Microsoft.AspNetCore.Authorization.Policy.IPolicyEvaluator>();
                var result = await evaluator.AuthenticateAsync(McpAuthenticationSchemes.WpcomPolicy, http);
                if (!(await evaluator.AuthorizeAsync(McpAuthenticationSchemes.WpcomPolicy, result, http, null)).Succeeded)
                    throw new InvalidOperationException("the policy refused the bench's token");
            }),
            // What a request paid before the MCP endpoints skipped the default scheme (session 17): the sign-in cookie's
            // handler run on a request without a cookie, as every MCP call is.
            ("default (cookie) authentication of a request without a cookie (skipped for MCP endpoints)", sp =>
                Http(sp, "{}").AuthenticateAsync(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme)),
            ("MCP settings, uncached (McpSettingsStore)", sp => sp.GetRequiredService<McpSettingsStore>().LoadAsync(userId)),
            ("MCP settings, cached (CallerAccess, with the version)", sp => sp.GetRequiredService<CallerAccess>().SettingsAsync(userId, default)),
            ("site + role, uncached (SiteResolver)", sp => sp.GetRequiredService<SiteResolver>().ResolveWithActorAsync(siteSlug, userId, false)),
            ("site + role, cached (CallerAccess, with the version)", sp => sp.GetRequiredService<CallerAccess>().SiteAsync(siteSlug, userId, false, default)),
            ("permission decision (AbilityPermission.Decide, user/profile)", sp =>
                Task.FromResult(AbilityPermission.Decide(caller, profileAbility, null, null, McpSettingsSnapshot.AllOff, SiteMcpPolicy.Allow))),
            ("settings + permission decision (cached settings, with the version)", async sp =>
                AbilityPermission.Decide(caller, profileAbility, null, null, await sp.GetRequiredService<CallerAccess>().SettingsAsync(userId, default), SiteMcpPolicy.Allow)),
            ("activity entry: built, queued and written in batches of 100 (per entry)", Record(100)),
            ("activity entry: built, queued and written 10,000 at a time, as a busy server's flusher (per entry)", Record(10_000)),
            ("user/profile ability alone (cached profile, with the version)", sp =>
                profileAbility.RunAsync(new AbilityCall(caller, noArguments, null, null, clock), sp, default)),
            ("whole tools/call user-profile (no HTTP)", sp => WholeAsync(sp, Http(sp, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wpcom-mcp-user-profile","arguments":{}}}"""))),
            ("EF Core: 10 posts by id (Contains)", sp => { var ids = TenIds(); return sp.GetRequiredService<PressDbContext>().Posts.AsNoTracking().Where(p => p.SiteId == siteId && ids.Contains(p.Id)).ToListAsync(); }),
            ("PostRows: the same 10 posts by id, one plain command", sp => PostRows.ByIdsAsync(sp.GetRequiredService<PressDbContext>(), siteId, TenIds(), default)),
            ("search service only, 'garden' as an editor (PostSearch)", sp => sp.GetRequiredService<PostSearch>().SearchAsync(siteId, new PostQuery { Text = "garden" }, editor)),
            ("search service only, the load run's words as an editor (PostSearch)", sp => sp.GetRequiredService<PostSearch>().SearchAsync(siteId, new PostQuery { Text = Word() }, editor)),
            ("whole tools/call posts-search, the load run's words (no HTTP)", sp => WholeAsync(sp, Http(sp, SearchCall(Word())))),
            ("whole tools/call posts-search 'new' (22,000 matches; no HTTP)", sp => WholeAsync(sp, Http(sp, SearchCall("new")))),
            ($"a posts-search result's text block (ten posts, 'garden', {searchResult.Length:N0} bytes) escaped by the reply's writer", _ => WriteText(w => w.WriteString("text"u8, searchResult))),
            ("whole tools/call posts-search 'garden' (no HTTP)", sp => WholeAsync(sp, Http(sp, SearchCall("garden")))),
        };
        Console.WriteLine();
        Console.WriteLine($"Phases of a call, in process, one at a time, {iterations} runs each after 50 warm-up runs (load average {LoadAverage()}).");
        Console.WriteLine("| phase | µs per run (wall, median) | wall p99 | µs CPU per run (mean) | bytes allocated per run (mean, whole process) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, run) in phases.Where(p => only.Length == 0 || p.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            for (var i = 0; i < 50; i++) await RunScoped(services, run);
            var samples = new double[iterations];
            var cpuStart = CpuTime();
            var allocatedStart = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < iterations; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await RunScoped(services, run);
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            var cpu = (CpuTime() - cpuStart).TotalMicroseconds / iterations;
            var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedStart) / iterations;
            Array.Sort(samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {samples[iterations / 2]:F0} | {samples[iterations * 99 / 100]:F0} | {cpu:F0} | {allocated:N0} |"));
        }
    }

    private static async Task RunScoped(IServiceProvider services, Func<IServiceProvider, Task> run)
    {
        await using var scope = services.CreateAsyncScope();
        await run(scope.ServiceProvider);
    }

    private static async Task WholeAsync(IServiceProvider sp, HttpContext http)
    {
        // The endpoint's scheme, as the authorization middleware runs it before the endpoint.
        var authenticated = await http.AuthenticateAsync(McpAuthenticationSchemes.Wpcom);
        http.User = authenticated.Principal ?? throw new InvalidOperationException("the bench token was refused");
        await sp.GetRequiredService<McpHttpTransport>().HandleAsync(http, sp.GetRequiredService<WpcomTools>());
        if (http.Response.StatusCode != 200) throw new InvalidOperationException($"answered {http.Response.StatusCode}");
    }

    /// <summary>The whole process's CPU time (all threads), for per-call CPU over a load run.</summary>
    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;

    internal static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
