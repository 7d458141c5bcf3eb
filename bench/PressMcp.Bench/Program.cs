using System.Globalization;
using PressMcp.Bench;

// dotnet run -c Release --project bench/PressMcp.Bench -- <suite> [--data DIR] [--posts N] [--iterations N]
var suite = args.FirstOrDefault() ?? "help";
// Every option any suite reads; anything else is a mistake worth saying before minutes of load are spent on the wrong run.
string[] options = ["--data", "--posts", "--iterations", "--case", "--runs", "--file", "--seconds", "--warmup", "--concurrency",
    "--phases", "--launches", "--server", "--base", "--server-env", "--rounds", "--settle", "--engines", "--pg-warmup", "--urls", "--answer", "--shape", "--kb"];
if (args.Any(a => a is "--help" or "-h"))
    suite = "help";
else
{
    for (var i = 1; i < args.Length; i += 2)
    {
        if (!options.Contains(args[i]))
            return Fail($"unknown option '{args[i]}' (options come in pairs: --name value); run with --help for the suites and their options");
        if (i + 1 >= args.Length)
            return Fail($"option '{args[i]}' needs a value");
    }
}
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
int Int(string name, int fallback)
{
    var text = Arg(name, fallback.ToString(CultureInfo.InvariantCulture));
    return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
        ? value : throw new ArgumentException($"option '{name}' needs a whole number, not '{text}'");
}
int[] Ints(string name, string fallback) => [.. Arg(name, fallback).Split(',').Select(k =>
    int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"option '{name}' needs whole numbers separated by commas, not '{k}'"))];
static int Fail(string message)
{
    Console.Error.WriteLine($"bench: {message}");
    return 2;
}
try
{
    return await RunAsync();
}
catch (ArgumentException e)
{
    return Fail(e.Message);
}

async Task<int> RunAsync()
{
    var data = Arg("--data", "bench/data");
    var posts = Int("--posts", 100000);
    var iterations = Int("--iterations", 500);

    switch (suite)
    {
        case "search":
            await SearchBench.RunAsync(data, posts, iterations, Arg("--case", ""));
            return 0;
        case "search-paths":
            await SearchPathsBench.RunAsync(data, posts, iterations);
            return 0;
        case "import":
            await ImportBench.RunAsync(data, posts, Int("--runs", 5));
            return 0;
        case "import-child":
            await ImportBench.ChildAsync(data, Arg("--file", ""));
            return 0;
        case "mcp":
            await McpBench.RunAsync(data, posts, TimeSpan.FromSeconds(Int("--seconds", 10)),
                TimeSpan.FromSeconds(Int("--warmup", 15)),
                Int("--concurrency", 32), Int("--phases", 0), Arg("--case", ""));
            return 0;
        case "mcp-search":
            await McpBench.SearchShapesAsync(data, posts, TimeSpan.FromSeconds(Int("--seconds", 5)),
                TimeSpan.FromSeconds(Int("--warmup", 5)), Int("--concurrency", 32), Arg("--case", ""));
            return 0;
        case "served":
            await ServedBench.RunAsync(data, posts, TimeSpan.FromSeconds(Int("--seconds", 10)),
                TimeSpan.FromSeconds(Int("--warmup", 15)), Int("--concurrency", 32),
                Int("--launches", 3), Arg("--case", ""), Arg("--server", ""), Arg("--base", ""),
                Arg("--server-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries), Int("--rounds", 2),
                TimeSpan.FromSeconds(Int("--settle", 0)),
                Arg("--engines", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Arg("--pg-warmup", "") is { Length: > 0 } ? TimeSpan.FromSeconds(Int("--pg-warmup", 0)) : null);
            return 0;
        case "bare-server":
            await BareServer.RunAsync(Arg("--urls", "http://127.0.0.1:5099"), Arg("--answer", ""));
            return 0;
        case "mcp-instances":
            await InstancesBench.RunAsync(data, posts, TimeSpan.FromSeconds(Int("--seconds", 10)),
                TimeSpan.FromSeconds(Int("--warmup", 15)), Int("--concurrency", 32));
            return 0;
        case "mcp-sdk":
            await SdkBench.RunAsync(iterations);
            return 0;
        case "validator":
            ValidatorBench.Run(iterations);
            return 0;
        case "render":
            RenderBench.Run(Arg("--shape", ""), Int("--runs", 5),
                Ints("--kb", "128,256,512,1024"));
            return 0;
        case "render-work":
            RenderBench.Work(Arg("--shape", ""), Ints("--kb", "128,256,512,1024"));
            return 0;
        case "demo":
            await DemoBench.RunAsync(data, posts);
            return 0;
        default:
            (suite == "help" ? Console.Out : Console.Error).WriteLine("suites: search [--case TEXT] | search-paths [--iterations N] (the whole-vocabulary mix by path: CPU per query, fresh and warm) | mcp-search [--seconds S --warmup S --concurrency C --case TEXT] | import | demo | mcp [--seconds S --warmup S --concurrency C --phases RUNS --case TOOL] | served [--launches N --seconds S --warmup S --concurrency C --case TEXT --server PATH (a published pressmcp; default: the one beside the bench) --base PATH (a second build, alternated with the first) --server-env K=V,... (the first server's environment only) --rounds N (default 2) --settle S (after the warm-up, keep warming in 5 s windows until the server's CPU a call is steady, at most S s) --engines sqlite,postgres (a pass on each, then side by side; PostgreSQL: the server PRESSMCP_CONNECTION_STRING names, else one the bench starts over DATA/postgres) --pg-warmup S (the PostgreSQL pass's warm-up; default --warmup)] (issue 16 as a client sees it: the server and a bare endpoint each in its own process, start-up, calls/s and p99 per case, CPU per call on each side, server RSS) | bare-server --urls URL --answer FILE | mcp-instances [--seconds S --warmup S --concurrency C] (PostgreSQL, nginx) | mcp-sdk [--iterations N] | validator [--iterations N] | render [--shape TEXT --runs N --kb 128,256,...] | render-work [--shape TEXT --kb 128,512]   options: --data DIR (default bench/data) --posts N (default 100000) --iterations N (default 500)");
            return suite == "help" ? 0 : Fail($"unknown suite '{suite}'");
    }
}
