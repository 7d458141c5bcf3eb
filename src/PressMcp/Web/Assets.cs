using System.Reflection;

namespace PressMcp.Web;

/// <summary>Serves the few static files (the style sheet) embedded in the executable, so a single binary is the whole server.</summary>
internal static class Assets
{
    // site.css styles the server's own pages; public.css the public pages of every site.
    private static readonly string[] StyleSheets = ["site.css", "public.css"];

    public static void MapPressAssets(this IEndpointRouteBuilder app)
    {
        foreach (var name in StyleSheets)
        {
            var css = Load(name);
            app.MapGet("/assets/" + name, (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Bytes(css, "text/css; charset=utf-8");
            });
        }
    }

    private static byte[] Load(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("Assets." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        return ms.ToArray();
    }
}
