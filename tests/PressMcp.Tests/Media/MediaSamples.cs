using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PressMcp.Tests.Media;

/// <summary>
/// Small real files built in the test, byte by byte as each format defines them: a decodable PNG (zlib data and CRCs),
/// header-valid JPEG, GIF and WebP images of known sizes, a PDF, Office and OpenDocument files made with
/// System.IO.Compression, and the things that must be refused (an executable, HTML, a plain ZIP, a macro-enabled document).
/// </summary>
internal static class MediaSamples
{
    public static byte[] Png(int width, int height, byte r = 200, byte g = 80, byte b = 40)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        Chunk(ms, "IHDR", ihdr);
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // no filter
            for (var x = 0; x < width; x++) raw.Write([r, g, b]);
        }
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(z);
        Chunk(ms, "IDAT", compressed.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header.AsSpan(4));
        s.Write(header);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. header.AsSpan(4).ToArray(), .. data]));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>SOI, a JFIF APP0, an APP1 to skip, quantisation table, SOF0 with the size, EOI.</summary>
    public static byte[] Jpeg(int width, int height, int paddingApp1 = 300)
    {
        using var ms = new MemoryStream();
        ms.Write([0xFF, 0xD8]);
        ms.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        var app1 = new byte[paddingApp1];
        ms.Write([0xFF, 0xE1, (byte)((paddingApp1 + 2) >> 8), (byte)((paddingApp1 + 2) & 0xFF)]);
        ms.Write(app1);
        ms.Write([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        ms.Write(Enumerable.Repeat((byte)1, 64).ToArray());
        ms.Write([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
        ms.Write([0xFF, 0xD9]);
        return ms.ToArray();
    }

    public static byte[] Gif(int width, int height) =>
    [
        .. "GIF89a"u8, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x00, 0x00,
        0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];

    private static byte[] Riff(string form, string chunk, byte[] payload)
    {
        var body = new List<byte>();
        body.AddRange(Encoding.ASCII.GetBytes(form));
        body.AddRange(Encoding.ASCII.GetBytes(chunk));
        body.AddRange(BitConverter.GetBytes((uint)payload.Length));
        body.AddRange(payload);
        return [.. "RIFF"u8, .. BitConverter.GetBytes((uint)body.Count), .. body];
    }

    public static byte[] WebpLossless(int width, int height)
    {
        var bits = (uint)(width - 1) | (uint)(height - 1) << 14;
        return Riff("WEBP", "VP8L", [0x2F, .. BitConverter.GetBytes(bits), 0, 0, 0]);
    }

    public static byte[] WebpExtended(int width, int height) =>
        Riff("WEBP", "VP8X", [0x10, 0, 0, 0, (byte)(width - 1), (byte)((width - 1) >> 8), (byte)((width - 1) >> 16), (byte)(height - 1), (byte)((height - 1) >> 8), (byte)((height - 1) >> 16)]);

    public static byte[] WebpLossy(int width, int height) =>
        Riff("WEBP", "VP8 ", [0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0, 0]);

    public static byte[] Wav() => Riff("WAVE", "fmt ", [1, 0, 1, 0, 0x44, 0xAC, 0, 0, 0x88, 0x58, 1, 0, 2, 0, 16, 0]);

    public static byte[] Pdf() => "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    public static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, name == "mimetype" ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                using var w = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                w.Write(content);
            }
        }
        return ms.ToArray();
    }

    private const string ContentTypes = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

    public static byte[] Docx() => Zip(("[Content_Types].xml", ContentTypes), ("_rels/.rels", "<Relationships/>"), ("word/document.xml", "<w:document/>"));
    public static byte[] Xlsx() => Zip(("[Content_Types].xml", ContentTypes), ("xl/workbook.xml", "<workbook/>"));
    public static byte[] Pptx() => Zip(("[Content_Types].xml", ContentTypes), ("ppt/presentation.xml", "<presentation/>"));
    public static byte[] Docm() => Zip(("[Content_Types].xml", ContentTypes), ("word/document.xml", "<w:document/>"), ("word/vbaProject.bin", "Attribute VB_Name"));
    public static byte[] Odt() => Zip(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<office:document-content/>"));
    public static byte[] Ods() => Zip(("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", "<x/>"));
    public static byte[] Odp() => Zip(("mimetype", "application/vnd.oasis.opendocument.presentation"), ("content.xml", "<x/>"));
    public static byte[] PlainZip() => Zip(("readme.txt", "hello"));

    /// <summary>An OLE2 compound file header, then a directory sector naming a stream (UTF-16, as stored).</summary>
    public static byte[] CompoundFile(string stream)
    {
        var bytes = new byte[1024];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes(stream).CopyTo(bytes, 512);
        return bytes;
    }

    private static byte[] IsoFile(string major, params string[] compatible)
    {
        var size = 16 + 4 * compatible.Length;
        return [0, 0, 0, (byte)size, .. "ftyp"u8, .. Encoding.ASCII.GetBytes(major), 0, 0, 2, 0, .. compatible.SelectMany(Encoding.ASCII.GetBytes), 0, 0, 0, 8, .. "free"u8];
    }

    public static byte[] Mp4() => IsoFile("isom", "isom", "mp41");
    public static byte[] Mov() => IsoFile("qt  ", "qt  ");
    public static byte[] M4a() => IsoFile("M4A ", "M4A ", "mp42");
    public static byte[] M4v() => IsoFile("M4V ", "M4V ", "mp42");
    public static byte[] Heic() => IsoFile("heic", "mif1", "heic");
    public static byte[] ThreeGp() => IsoFile("3gp4", "3gp4");

    /// <summary>AVIF with two <c>ispe</c> properties, a thumbnail and the primary image: the larger is the size.</summary>
    public static byte[] Avif(int width, int height)
    {
        static byte[] Ispe(int w, int h) => [0, 0, 0, 20, .. "ispe"u8, 0, 0, 0, 0, (byte)(w >> 24), (byte)(w >> 16), (byte)(w >> 8), (byte)w, (byte)(h >> 24), (byte)(h >> 16), (byte)(h >> 8), (byte)h];
        return [.. IsoFile("avif", "avif", "mif1", "miaf"), .. Ispe(160, 120), .. Ispe(width, height)];
    }

    public static byte[] Mp3WithId3() => [.. "ID3"u8, 3, 0, 0, 0, 0, 0, 0, 0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0];
    public static byte[] Mp3Frame() => [0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0];
    public static byte[] AdtsAac() => [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC, 0, 0, 0];
    public static byte[] Flac() => [.. "fLaC"u8, 0, 0, 0, 34, .. new byte[34]];

    private static byte[] OggPage(byte[] packet) => [.. "OggS"u8, 0, 2, .. new byte[8], 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte)packet.Length, .. packet];
    public static byte[] OggVorbis() => OggPage([1, .. "vorbis"u8, 0, 0, 0, 0, 1]);
    public static byte[] OggOpus() => OggPage([.. "OpusHead"u8, 1, 2, 0, 0]);
    public static byte[] OggTheora() => OggPage([0x80, .. "theora"u8, 3, 2, 1]);

    public static byte[] Webm() => [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, .. "webm"u8, 0x42, 0x87, 0x81, 0x04];
    public static byte[] Mkv() => [0x1A, 0x45, 0xDF, 0xA3, 0xA3, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x88, .. "matroska"u8, 0x42, 0x87, 0x81, 0x04];

    public static byte[] Svg() => """<?xml version="1.0" encoding="UTF-8"?><!-- a logo --><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>"""u8.ToArray();
    public static byte[] Html() => "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();
    public static byte[] HtmlFragment() => "<script>fetch('/account')</script><p>hi</p>"u8.ToArray();
    public static byte[] Exe() => [.. "MZ"u8, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, .. new byte[50], .. "This program cannot be run in DOS mode"u8];
    public static byte[] Elf() => [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, .. new byte[8]];
    public static byte[] Text() => "just some notes\nnothing else\n"u8.ToArray();
    public static byte[] Xml() => "<?xml version=\"1.0\"?><rss><channel/></rss>"u8.ToArray();
}
