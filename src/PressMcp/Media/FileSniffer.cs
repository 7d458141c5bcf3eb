using System.IO.Compression;
using System.Text;

namespace PressMcp.Media;

/// <summary>What kind of media a file is, for grouping and suggestions.</summary>
internal enum MediaKind
{
    Image,
    Audio,
    Video,
    Document,
}

/// <summary>
/// A file's real type as its bytes say. <see cref="Mime"/> and <see cref="Extension"/> are set only for types we
/// accept; a refused file still has a <see cref="Description"/> that names what it was found to be.
/// </summary>
internal sealed record SniffedType(string Description, string? Mime = null, string? Extension = null, MediaKind Kind = MediaKind.Document)
{
    public bool Accepted => Mime is not null;

    /// <summary>Other extensions people use for the same type; an upload keeps its own when it is one of these.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}

/// <summary>
/// Identifies a file by its content (magic numbers and container structure), never by its name or a declared
/// type: a name and a Content-Type are the uploader's claims. Accepted: images (JPEG, PNG, GIF, WebP, AVIF, HEIC,
/// and SVG, which is always served as a download), audio (MP3, AAC, M4A, OGG, WAV, FLAC), video (MP4, MOV, M4V,
/// WebM, OGG), PDF, Office Open XML and OpenDocument files (ZIP containers recognised by their entries; macro-enabled
/// ones refused) and legacy Word, Excel and PowerPoint files (OLE2 compound files recognised by their streams).
/// Everything else is refused with a description of what it is.
/// </summary>
internal static class FileSniffer
{
    public const int HeadLength = 4096;

    private static readonly SniffedType Jpeg = new("JPEG image", "image/jpeg", ".jpg", MediaKind.Image) { Aliases = [".jpeg", ".jpe"] };
    private static readonly SniffedType Png = new("PNG image", "image/png", ".png", MediaKind.Image);
    private static readonly SniffedType Gif = new("GIF image", "image/gif", ".gif", MediaKind.Image);
    private static readonly SniffedType Webp = new("WebP image", "image/webp", ".webp", MediaKind.Image);
    private static readonly SniffedType Avif = new("AVIF image", "image/avif", ".avif", MediaKind.Image);
    private static readonly SniffedType Heic = new("HEIC image", "image/heic", ".heic", MediaKind.Image) { Aliases = [".heif"] };
    private static readonly SniffedType Svg = new("SVG image", "image/svg+xml", ".svg", MediaKind.Image);
    private static readonly SniffedType Mp3 = new("MP3 audio", "audio/mpeg", ".mp3", MediaKind.Audio);
    private static readonly SniffedType Aac = new("AAC audio", "audio/aac", ".aac", MediaKind.Audio);
    private static readonly SniffedType M4a = new("M4A audio", "audio/mp4", ".m4a", MediaKind.Audio) { Aliases = [".m4b", ".mp4"] };
    private static readonly SniffedType OggAudio = new("Ogg audio", "audio/ogg", ".ogg", MediaKind.Audio) { Aliases = [".oga", ".opus"] };
    private static readonly SniffedType Wav = new("WAV audio", "audio/wav", ".wav", MediaKind.Audio);
    private static readonly SniffedType Flac = new("FLAC audio", "audio/flac", ".flac", MediaKind.Audio);
    private static readonly SniffedType Mp4 = new("MP4 video", "video/mp4", ".mp4", MediaKind.Video);
    private static readonly SniffedType Mov = new("QuickTime video", "video/quicktime", ".mov", MediaKind.Video) { Aliases = [".qt"] };
    private static readonly SniffedType M4v = new("M4V video", "video/x-m4v", ".m4v", MediaKind.Video);
    private static readonly SniffedType Webm = new("WebM video", "video/webm", ".webm", MediaKind.Video);
    private static readonly SniffedType OggVideo = new("Ogg video", "video/ogg", ".ogv", MediaKind.Video) { Aliases = [".ogg"] };
    private static readonly SniffedType Pdf = new("PDF document", "application/pdf", ".pdf");
    private static readonly SniffedType Docx = new("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    private static readonly SniffedType Xlsx = new("Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
    private static readonly SniffedType Pptx = new("PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx");
    private static readonly SniffedType Odt = new("OpenDocument text", "application/vnd.oasis.opendocument.text", ".odt");
    private static readonly SniffedType Ods = new("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ".ods");
    private static readonly SniffedType Odp = new("OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", ".odp");
    private static readonly SniffedType Doc = new("Word 97-2003 document", "application/msword", ".doc");
    private static readonly SniffedType Xls = new("Excel 97-2003 workbook", "application/vnd.ms-excel", ".xls");
    private static readonly SniffedType Ppt = new("PowerPoint 97-2003 presentation", "application/vnd.ms-powerpoint", ".ppt");

    /// <summary>Every accepted type, for documentation and tests.</summary>
    public static IReadOnlyList<SniffedType> AcceptedTypes { get; } =
        [Jpeg, Png, Gif, Webp, Avif, Heic, Svg, Mp3, Aac, M4a, OggAudio, Wav, Flac, Mp4, Mov, M4v, Webm, OggVideo, Pdf, Docx, Xlsx, Pptx, Odt, Ods, Odp, Doc, Xls, Ppt];

    /// <summary>Identifies the file in <paramref name="content"/>, which must be readable and seekable (a staged upload).</summary>
    public static SniffedType Sniff(Stream content)
    {
        content.Position = 0;
        var buffer = new byte[HeadLength];
        var length = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var head = buffer.AsSpan(0, length);
        if (length == 0) return new SniffedType("an empty file");

        if (head.StartsWith((byte[])[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.StartsWith("RIFF"u8) && length >= 12)
        {
            var form = head.Slice(8, 4);
            if (form.SequenceEqual("WEBP"u8)) return Webp;
            if (form.SequenceEqual("WAVE"u8)) return Wav;
            if (form.SequenceEqual("AVI "u8)) return new SniffedType("AVI video");
            return new SniffedType("a RIFF container (" + Ascii(form) + ")");
        }
        if (length >= 12 && head.Slice(4, 4).SequenceEqual("ftyp"u8)) return IsoMedia(head);
        if (head.StartsWith("%PDF-"u8)) return Pdf;
        if (head.StartsWith("fLaC"u8)) return Flac;
        if (head.StartsWith("OggS"u8)) return Ogg(head);
        if (head.StartsWith((byte[])[0x1A, 0x45, 0xDF, 0xA3])) return head.IndexOf("webm"u8) >= 0 ? Webm : new SniffedType("Matroska (MKV) video");
        if (head.StartsWith("ID3"u8)) return Mp3;
        if (length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            // MPEG audio frame sync: layer bits 01 are layer III (MP3); 00 with the MPEG-4 bit is an ADTS AAC stream.
            var layer = (head[1] >> 1) & 0x03;
            if (layer == 0x01) return Mp3;
            if (layer == 0x00 && (head[1] & 0xF6) == 0xF0) return Aac;
        }
        if (head.StartsWith("PK\x03\x04"u8)) return Zip(content);
        if (head.StartsWith((byte[])[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return CompoundFile(content);
        return Other(head);
    }

    /// <summary>ISO base media files (MP4, MOV, M4A, AVIF, HEIC) by their major brand, then their compatible brands.</summary>
    private static SniffedType IsoMedia(ReadOnlySpan<byte> head)
    {
        var boxSize = (int)Math.Min(BinaryPrimitivesBigEndian(head), head.Length);
        var brands = new List<string> { Ascii(head.Slice(8, 4)) };
        for (var i = 16; i + 4 <= boxSize; i += 4) brands.Add(Ascii(head.Slice(i, 4)));
        foreach (var brand in brands)
        {
            switch (brand)
            {
                case "avif" or "avis": return Avif;
                case "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "mif1" or "msf1": return Heic;
                case "M4A " or "M4B " or "M4P ": return M4a;
                case "M4V " or "M4VH" or "M4VP": return M4v;
                case "qt  ": return Mov;
                case "isom" or "iso2" or "iso3" or "iso4" or "iso5" or "iso6" or "mp41" or "mp42" or "mp71" or "avc1" or "dash" or "MSNV" or "F4V ": return Mp4;
            }
        }
        return new SniffedType($"ISO media of brand '{brands[0].Trim()}'");
    }

    private static uint BinaryPrimitivesBigEndian(ReadOnlySpan<byte> b) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b);

    /// <summary>An Ogg stream's first packet names its codec: Theora is video, Vorbis, Opus, FLAC and Speex are audio.</summary>
    private static SniffedType Ogg(ReadOnlySpan<byte> head)
    {
        if (head.Length < 28) return new SniffedType("a truncated Ogg stream");
        var segments = head[26];
        var packet = head[Math.Min(head.Length, 27 + segments)..];
        if (packet.StartsWith((byte[])[0x80, .. "theora"u8])) return OggVideo;
        if (packet.StartsWith("\x01vorbis"u8) || packet.StartsWith("OpusHead"u8) || packet.StartsWith((byte[])[0x7F, .. "FLAC"u8]) || packet.StartsWith("Speex"u8)) return OggAudio;
        return new SniffedType("an Ogg stream of an unknown codec");
    }

    /// <summary>
    /// A ZIP file is accepted only as an OpenDocument file (its first entry, <c>mimetype</c>, names the kind) or an Office
    /// Open XML file (<c>[Content_Types].xml</c> and the main part of a document, workbook or presentation). Files
    /// with a VBA project are refused: macros are code.
    /// </summary>
    private static SniffedType Zip(Stream content)
    {
        content.Position = 0;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (names.Any(n => n.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
                return new SniffedType("a macro-enabled Office document");
            if (zip.GetEntry("mimetype") is { Length: < 200 } mimeEntry)
            {
                using var reader = new StreamReader(mimeEntry.Open(), Encoding.ASCII);
                var mime = reader.ReadToEnd().Trim();
                return mime switch
                {
                    "application/vnd.oasis.opendocument.text" => Odt,
                    "application/vnd.oasis.opendocument.spreadsheet" => Ods,
                    "application/vnd.oasis.opendocument.presentation" => Odp,
                    _ => new SniffedType($"an OpenDocument file of type '{TextBounds.Shorten(mime, 80)}'"),
                };
            }
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml")) return Docx;
                if (names.Contains("xl/workbook.xml")) return Xlsx;
                if (names.Contains("ppt/presentation.xml")) return Pptx;
                return new SniffedType("an Office Open XML package that is not a document, workbook or presentation");
            }
            return new SniffedType("a ZIP archive");
        }
        catch (InvalidDataException)
        {
            return new SniffedType("a damaged ZIP archive");
        }
    }

    /// <summary>
    /// Legacy Office files are OLE2 compound files; which application wrote one shows in its stream names (stored in
    /// UTF-16 in the directory). Other compound files (installers, thumbnails databases) are refused.
    /// </summary>
    private static SniffedType CompoundFile(Stream content)
    {
        if (Contains(content, Encoding.Unicode.GetBytes("WordDocument"))) return Doc;
        if (Contains(content, Encoding.Unicode.GetBytes("Workbook")) || Contains(content, Encoding.Unicode.GetBytes("Book\0"))) return Xls;
        if (Contains(content, Encoding.Unicode.GetBytes("PowerPoint Document"))) return Ppt;
        return new SniffedType("an OLE2 compound file that is not a Word, Excel or PowerPoint document");
    }

    /// <summary>Whether <paramref name="pattern"/> occurs anywhere in the stream, read in chunks that overlap by the pattern's length.</summary>
    private static bool Contains(Stream content, byte[] pattern)
    {
        content.Position = 0;
        var buffer = new byte[256 * 1024];
        var carried = 0;
        int read;
        while ((read = content.Read(buffer, carried, buffer.Length - carried)) > 0)
        {
            var filled = carried + read;
            if (buffer.AsSpan(0, filled).IndexOf(pattern) >= 0) return true;
            carried = Math.Min(pattern.Length - 1, filled);
            Array.Copy(buffer, filled - carried, buffer, 0, carried);
        }
        return false;
    }

    /// <summary>SVG (a text file whose first element is <c>svg</c>), or a description of what else it is.</summary>
    private static SniffedType Other(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("MZ"u8)) return new SniffedType("a Windows executable");
        if (head.StartsWith((byte[])[0x7F, (byte)'E', (byte)'L', (byte)'F'])) return new SniffedType("an ELF executable");
        if (head.StartsWith((byte[])[0xCF, 0xFA, 0xED, 0xFE]) || head.StartsWith((byte[])[0xCA, 0xFE, 0xBA, 0xBE])) return new SniffedType("a Mach-O executable or Java class");
        if (head.StartsWith((byte[])[0x1F, 0x8B])) return new SniffedType("a gzip archive");
        if (head.StartsWith("Rar!"u8)) return new SniffedType("a RAR archive");
        if (head.StartsWith((byte[])[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C])) return new SniffedType("a 7-Zip archive");
        if (head.StartsWith("BM"u8)) return new SniffedType("a BMP image");
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return new SniffedType("a TIFF image");
        if (head.StartsWith("#!"u8)) return new SniffedType("a script");

        if (!LooksLikeText(head)) return new SniffedType("unrecognised binary data");
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var firstElement = FirstElementName(text);
        if (firstElement == "svg") return Svg;
        if (firstElement is "html" or "head" or "body" or "script" or "iframe" or "div" or "a" or "p" or "meta" or "title" or "style" or "form"
            || text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase))
            return new SniffedType("an HTML document");
        if (firstElement is not null) return new SniffedType("an XML document");
        return new SniffedType("plain text");
    }

    /// <summary>The name of the first element after the XML declaration, comments, processing instructions and a doctype.</summary>
    private static string? FirstElementName(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length || text[i] != '<') return null;
            if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                var end = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                if (end < 0) return null;
                i = end + 3;
            }
            else if (i + 1 < text.Length && (text[i + 1] == '?' || text[i + 1] == '!'))
            {
                if (text.AsSpan(i).StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)) return "html";
                var end = text.IndexOf('>', i + 2);
                if (end < 0) return null;
                i = end + 1;
            }
            else
            {
                var start = i + 1;
                var j = start;
                while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] is ':' or '-' or '_')) j++;
                var name = text[start..j].ToLowerInvariant();
                // svg:svg and other prefixed names count by their local name.
                return name.Length == 0 ? null : name[(name.LastIndexOf(':') + 1)..];
            }
        }
        return null;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B)) return false;
        return true;
    }

    private static string Ascii(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
        return new string(chars);
    }
}
