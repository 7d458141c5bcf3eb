using PressMcp.Media;

namespace PressMcp.Tests.Media;

/// <summary>The real type comes from the bytes: every accepted format, and what is refused with what it was found to be.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class FileSnifferTests
{
    public static TheoryData<string, string> Accepted => new()
    {
        { "png", "image/png" }, { "jpeg", "image/jpeg" }, { "gif", "image/gif" }, { "webp-lossless", "image/webp" }, { "webp-extended", "image/webp" },
        { "webp-lossy", "image/webp" }, { "avif", "image/avif" }, { "heic", "image/heic" }, { "svg", "image/svg+xml" },
        { "mp3-id3", "audio/mpeg" }, { "mp3-frame", "audio/mpeg" }, { "aac", "audio/aac" }, { "m4a", "audio/mp4" }, { "ogg-vorbis", "audio/ogg" },
        { "ogg-opus", "audio/ogg" }, { "wav", "audio/wav" }, { "flac", "audio/flac" },
        { "mp4", "video/mp4" }, { "mov", "video/quicktime" }, { "m4v", "video/x-m4v" }, { "webm", "video/webm" }, { "ogg-theora", "video/ogg" },
        { "pdf", "application/pdf" },
        { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
        { "odt", "application/vnd.oasis.opendocument.text" }, { "ods", "application/vnd.oasis.opendocument.spreadsheet" },
        { "odp", "application/vnd.oasis.opendocument.presentation" },
        { "doc", "application/msword" }, { "xls", "application/vnd.ms-excel" }, { "ppt", "application/vnd.ms-powerpoint" },
    };

    public static TheoryData<string, string> Refused => new()
    {
        { "exe", "a Windows executable" }, { "elf", "an ELF executable" }, { "html", "an HTML document" }, { "html-fragment", "an HTML document" },
        { "zip", "a ZIP archive" }, { "docm", "a macro-enabled Office document" }, { "mkv", "Matroska (MKV) video" }, { "3gp", "ISO media of brand '3gp4'" },
        { "ole-other", "an OLE2 compound file that is not a Word, Excel or PowerPoint document" }, { "text", "plain text" }, { "xml", "an XML document" },
        { "empty", "an empty file" },
    };

    internal static byte[] Sample(string name) => name switch
    {
        "png" => MediaSamples.Png(3, 2), "jpeg" => MediaSamples.Jpeg(640, 480), "gif" => MediaSamples.Gif(5, 7),
        "webp-lossless" => MediaSamples.WebpLossless(300, 200), "webp-extended" => MediaSamples.WebpExtended(1920, 1080), "webp-lossy" => MediaSamples.WebpLossy(64, 48),
        "avif" => MediaSamples.Avif(1200, 800), "heic" => MediaSamples.Heic(), "svg" => MediaSamples.Svg(),
        "mp3-id3" => MediaSamples.Mp3WithId3(), "mp3-frame" => MediaSamples.Mp3Frame(), "aac" => MediaSamples.AdtsAac(), "m4a" => MediaSamples.M4a(),
        "ogg-vorbis" => MediaSamples.OggVorbis(), "ogg-opus" => MediaSamples.OggOpus(), "wav" => MediaSamples.Wav(), "flac" => MediaSamples.Flac(),
        "mp4" => MediaSamples.Mp4(), "mov" => MediaSamples.Mov(), "m4v" => MediaSamples.M4v(), "webm" => MediaSamples.Webm(), "ogg-theora" => MediaSamples.OggTheora(),
        "pdf" => MediaSamples.Pdf(), "docx" => MediaSamples.Docx(), "xlsx" => MediaSamples.Xlsx(), "pptx" => MediaSamples.Pptx(),
        "odt" => MediaSamples.Odt(), "ods" => MediaSamples.Ods(), "odp" => MediaSamples.Odp(),
        "doc" => MediaSamples.CompoundFile("WordDocument"), "xls" => MediaSamples.CompoundFile("Workbook"), "ppt" => MediaSamples.CompoundFile("PowerPoint Document"),
        "exe" => MediaSamples.Exe(), "elf" => MediaSamples.Elf(), "html" => MediaSamples.Html(), "html-fragment" => MediaSamples.HtmlFragment(),
        "zip" => MediaSamples.PlainZip(), "docm" => MediaSamples.Docm(), "mkv" => MediaSamples.Mkv(), "3gp" => MediaSamples.ThreeGp(),
        "ole-other" => MediaSamples.CompoundFile("SummaryInformation"), "text" => MediaSamples.Text(), "xml" => MediaSamples.Xml(), "empty" => [],
        _ => throw new ArgumentException(name),
    };

    private static SniffedType Sniff(byte[] bytes) => FileSniffer.Sniff(new MemoryStream(bytes));

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Sniff_AllowedFormat_IsAcceptedWithItsType(string sample, string mime)
    {
        var type = Sniff(Sample(sample));
        Assert.True(type.Accepted, type.Description);
        Assert.Equal(mime, type.Mime);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Sniff_OtherContent_IsRefusedNamingWhatItIs(string sample, string description)
    {
        var type = Sniff(Sample(sample));
        Assert.False(type.Accepted);
        Assert.Equal(description, type.Description);
    }

    [Fact]
    public void Sniff_LegacyStreamNameBeyondTheFirstChunk_IsStillFound()
    {
        // The stream name straddles the 256 KB read boundary: the overlap between chunks must catch it.
        var bytes = new byte[600 * 1024];
        MediaSamples.CompoundFile("x").AsSpan(0, 8).CopyTo(bytes);
        System.Text.Encoding.Unicode.GetBytes("WordDocument").CopyTo(bytes, 256 * 1024 - 7);
        Assert.Equal("application/msword", Sniff(bytes).Mime);
    }

    [Fact]
    public void Sniff_IgnoresTheName_HtmlCalledJpgIsHtml()
    {
        // The sniffer is never given a name; this documents that a .jpg name cannot change the verdict.
        Assert.Equal("an HTML document", Sniff(MediaSamples.Html()).Description);
    }

    [Theory]
    [InlineData("png", 3, 2)]
    [InlineData("jpeg", 640, 480)]
    [InlineData("gif", 5, 7)]
    [InlineData("webp-lossless", 300, 200)]
    [InlineData("webp-extended", 1920, 1080)]
    [InlineData("webp-lossy", 64, 48)]
    [InlineData("avif", 1200, 800)]
    public void ImageSize_ReadsTheHeader(string sample, int width, int height)
    {
        var bytes = Sample(sample);
        var type = Sniff(bytes);
        Assert.Equal((width, height), ImageSize.Read(new MemoryStream(bytes), type.Mime!));
    }

    [Fact]
    public void ImageSize_JpegWithLargeSegmentsBeforeTheFrame_IsFound()
    {
        var bytes = MediaSamples.Jpeg(4000, 3000, paddingApp1: 60_000);
        Assert.Equal((4000, 3000), ImageSize.Read(new MemoryStream(bytes), "image/jpeg"));
    }

    [Fact]
    public void ImageSize_TruncatedJpeg_HasNoSize()
    {
        var bytes = MediaSamples.Jpeg(100, 100)[..30];
        Assert.Null(ImageSize.Read(new MemoryStream(bytes), "image/jpeg"));
    }

    [Fact]
    public void ImageSize_SvgHasNone() => Assert.Null(ImageSize.Read(new MemoryStream(MediaSamples.Svg()), "image/svg+xml"));

    [Theory]
    [InlineData("../../etc/passwd", "passwd", "passwd")]
    [InlineData("C:\\Users\\me\\Holiday Photo (1).JPG", "Holiday Photo (1).JPG", "holiday-photo-1")]
    [InlineData("Été à Paris.jpeg", "Été à Paris.jpeg", "ete-a-paris")]
    [InlineData("my.report_final.pdf", "my.report_final.pdf", "my-report-final")]
    [InlineData("\u0001\u0002", "file", "file")]
    public void Names_AreSanitised(string given, string display, string stored)
    {
        Assert.Equal(display, MediaStorage.DisplayName(given));
        Assert.Equal(stored, MediaStorage.SafeBaseName(given));
    }

    [Theory]
    [InlineData("photo.jpeg", "jpeg", ".jpeg")]
    [InlineData("photo.JPG", "jpeg", ".jpg")]
    [InlineData("evil.html", "png", ".png")]
    [InlineData("noext", "pdf", ".pdf")]
    [InlineData("song.mp4", "m4a", ".mp4")]
    public void Extension_KeepsAUsualOne_ElseTheRealTypes(string name, string sample, string expected) =>
        Assert.Equal(expected, MediaStorage.ExtensionFor(name, Sniff(Sample(sample))));
}
