using System.Reflection;

namespace PressMcp.Web;

/// <summary>Serves the few static files (style sheets, the media page's script) embedded in the executable, so a single binary is the whole server.</summary>
internal static class Assets
{
    // site.css styles the server's own pages; public.css the public pages of every site; media.js drives the media page;
    // editor.js warns before leaving the post editor with unsaved changes;
    // forms.js fills in and checks what a browser knows better (a time zone, "at least one of these") (files of our origin, so the page policy's script-src 'self' allows it and no inline script is needed).
    private static readonly (string Name, string ContentType)[] Files =
    [
        ("site.css", "text/css; charset=utf-8"),
        ("public.css", "text/css; charset=utf-8"),
        ("media.js", "text/javascript; charset=utf-8"),
        ("forms.js", "text/javascript; charset=utf-8"),
        ("editor.js", "text/javascript; charset=utf-8"),
        // The icon of every page, ours and the public sites': without one a browser asks for /favicon.ico (a 404).
        ("icon.svg", "image/svg+xml"),
    ];

    public static void MapPressAssets(this IEndpointRouteBuilder app)
    {
        foreach (var (name, contentType) in Files)
        {
            var bytes = Load(name);
            app.MapGet("/assets/" + name, (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Bytes(bytes, contentType);
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
