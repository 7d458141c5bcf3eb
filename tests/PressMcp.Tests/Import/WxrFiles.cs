using System.Text;

namespace PressMcp.Tests.Import;

/// <summary>The real WordPress export the tests read (never copied into the repository), and small files the tests write.</summary>
public static class WxrFiles
{
    public const string Header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
        <channel>
        <title>Test</title>
        <wp:wxr_version>1.2</wp:wxr_version>
        """;

    public const string Footer = "\n</channel>\n</rss>\n";

    /// <summary>themeunittestdata.wordpress.xml from the shared data folder beside the repository.</summary>
    public static string ThemeUnitTestData
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PressMcp.slnx"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("PressMcp.slnx not found above " + AppContext.BaseDirectory);
            var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "wxr", "themeunittestdata.wordpress.xml"));
            return File.Exists(path) ? path : throw new FileNotFoundException("the shared WordPress export is missing", path);
        }
    }

    /// <summary>A WXR 1.2 file holding <paramref name="body"/> (authors, terms, items) inside its channel.</summary>
    public static string Wxr(string body) => Header + "\n" + body + Footer;

    /// <summary>One post item with the fields WordPress always writes; <paramref name="extra"/> adds or overrides elements.</summary>
    public static string Item(long id, string title, string slug, string extra = "", string type = "post", string status = "publish",
        string date = "2024-05-01 12:00:00", string dateGmt = "2024-05-01 10:00:00") => $"""
        <item>
        <title><![CDATA[{title}]]></title>
        <dc:creator><![CDATA[alice]]></dc:creator>
        <guid isPermaLink="false">https://old.example.com/?p={id}</guid>
        <content:encoded><![CDATA[Body of {title}]]></content:encoded>
        <excerpt:encoded><![CDATA[]]></excerpt:encoded>
        <wp:post_id>{id}</wp:post_id>
        <wp:post_date><![CDATA[{date}]]></wp:post_date>
        <wp:post_date_gmt><![CDATA[{dateGmt}]]></wp:post_date_gmt>
        <wp:comment_status><![CDATA[open]]></wp:comment_status>
        <wp:ping_status><![CDATA[open]]></wp:ping_status>
        <wp:post_name><![CDATA[{slug}]]></wp:post_name>
        <wp:status><![CDATA[{status}]]></wp:status>
        <wp:post_parent>0</wp:post_parent>
        <wp:menu_order>0</wp:menu_order>
        <wp:post_type><![CDATA[{type}]]></wp:post_type>
        <wp:post_password><![CDATA[]]></wp:post_password>
        <wp:is_sticky>0</wp:is_sticky>
        {extra}
        </item>
        """;

    public const string Alice = """
        <wp:author><wp:author_id>7</wp:author_id><wp:author_login><![CDATA[alice]]></wp:author_login><wp:author_email><![CDATA[alice@old.example.com]]></wp:author_email><wp:author_display_name><![CDATA[Alice A.]]></wp:author_display_name></wp:author>
        """;

    /// <summary>Writes a file into <paramref name="dir"/> (UTF-8 without a byte order mark, as WordPress writes).</summary>
    public static string Write(string dir, string name, string content)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}
