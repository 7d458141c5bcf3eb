using System.Globalization;
using PressMcp.Bench;

// dotnet run -c Release --project bench/PressMcp.Bench -- <suite> [--data DIR] [--posts N] [--iterations N]
var suite = args.FirstOrDefault() ?? "help";
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
var data = Arg("--data", "bench/data");
var posts = int.Parse(Arg("--posts", "100000"), CultureInfo.InvariantCulture);
var iterations = int.Parse(Arg("--iterations", "500"), CultureInfo.InvariantCulture);

switch (suite)
{
    case "search":
        await SearchBench.RunAsync(data, posts, iterations, Arg("--case", ""));
        return 0;
    case "search-paths":
        await SearchPathsBench.RunAsync(data, posts, iterations);
        return 0;
    case "import":
        await ImportBench.RunAsync(data, posts, int.Parse(Arg("--runs", "5"), CultureInfo.InvariantCulture));
        return 0;
    case "import-child":
        await ImportBench.ChildAsync(data, Arg("--file", ""));
        return 0;
    case "mcp":
        await McpBench.RunAsync(data, posts, TimeSpan.FromSeconds(int.Parse(Arg("--seconds", "10"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Arg("--warmup", "15"), CultureInfo.InvariantCulture)),
            int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture), int.Parse(Arg("--phases", "0"), CultureInfo.InvariantCulture), Arg("--case", ""));
        return 0;
    case "mcp-search":
        await McpBench.SearchShapesAsync(data, posts, TimeSpan.FromSeconds(int.Parse(Arg("--seconds", "5"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Arg("--warmup", "5"), CultureInfo.InvariantCulture)), int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture), Arg("--case", ""));
        return 0;
    case "served":
        await ServedBench.RunAsync(data, posts, TimeSpan.FromSeconds(int.Parse(Arg("--seconds", "10"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Arg("--warmup", "15"), CultureInfo.InvariantCulture)), int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--launches", "3"), CultureInfo.InvariantCulture), Arg("--case", ""), Arg("--server", ""), Arg("--base", ""),
            Arg("--server-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries), int.Parse(Arg("--rounds", "2"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Arg("--settle", "0"), CultureInfo.InvariantCulture)));
        return 0;
    case "bare-server":
        await BareServer.RunAsync(Arg("--urls", "http://127.0.0.1:5099"), Arg("--answer", ""));
        return 0;
    case "mcp-instances":
        await InstancesBench.RunAsync(data, posts, TimeSpan.FromSeconds(int.Parse(Arg("--seconds", "10"), CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(int.Parse(Arg("--warmup", "15"), CultureInfo.InvariantCulture)), int.Parse(Arg("--concurrency", "32"), CultureInfo.InvariantCulture));
        return 0;
    case "mcp-sdk":
        await SdkBench.RunAsync(iterations);
        return 0;
    case "validator":
        ValidatorBench.Run(iterations);
        return 0;
    case "render":
        RenderBench.Run(Arg("--shape", ""), int.Parse(Arg("--runs", "5"), CultureInfo.InvariantCulture),
            [.. Arg("--kb", "128,256,512,1024").Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture))]);
        return 0;
    case "render-work":
        RenderBench.Work(Arg("--shape", ""), [.. Arg("--kb", "128,256,512,1024").Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture))]);
        return 0;
    case "demo":
        await DemoBench.RunAsync(data, posts);
        return 0;
    default:
        Console.WriteLine("suites: search [--case TEXT] | search-paths [--iterations N] (the whole-vocabulary mix by path: CPU per query, fresh and warm) | mcp-search [--seconds S --warmup S --concurrency C --case TEXT] | import | demo | mcp [--seconds S --warmup S --concurrency C --phases RUNS --case TOOL] | served [--launches N --seconds S --warmup S --concurrency C --case TEXT --server PATH (a published pressmcp; default: the one beside the bench) --base PATH (a second build, alternated with the first) --server-env K=V,... (the first server's environment only) --rounds N (default 2) --settle S (after the warm-up, keep warming in 5 s windows until the server's CPU a call is steady, at most S s)] (issue 16 as a client sees it: the server and a bare endpoint each in its own process, start-up, calls/s and p99 per case, CPU per call on each side, server RSS) | bare-server --urls URL --answer FILE | mcp-instances [--seconds S --warmup S --concurrency C] (PostgreSQL, nginx) | mcp-sdk [--iterations N] | validator [--iterations N] | render [--shape TEXT --runs N --kb 128,256,...] | render-work [--shape TEXT --kb 128,512]   options: --data DIR (default bench/data) --posts N (default 100000) --iterations N (default 500)");
        return suite == "help" ? 0 : 2;
}
