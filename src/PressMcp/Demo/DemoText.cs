using System.Text;

namespace PressMcp.Demo;

/// <summary>
/// Deterministic, realistic-looking text for synthetic sites: common English words drawn with a Zipf-like
/// distribution (so word frequencies, and therefore search result sizes, resemble real writing) plus a long
/// tail of invented words. The same seed always writes the same site.
/// </summary>
internal sealed class DemoText
{
    private static readonly string[] Common =
    """
    the of and to a in is it you that he was for on are with as his they be at one have this from or had by
    word but what some we can out other were all there when up use your how said an each she which do their time
    if will way about many then them write would like so these her long make thing see him two has look more day
    could go come did number sound no most people my over know water than call first who may down side been now
    find any new work part take get place made live where after back little only round man year came show every
    good me give our under name very through just form sentence great think say help low line differ turn cause
    much mean before move right boy old too same tell does set three want air well also play small end put home
    read hand port large spell add even land here must big high such follow act why ask men change went light
    kind off need house picture try us again animal point mother world near build self earth father head stand own
    page should country found answer school grow study still learn plant cover food sun four between state keep
    eye never last let thought city tree cross farm hard start might story saw far sea draw left late run while
    press close night real life few north open seem together next white children begin got walk example ease
    paper group always music those both mark often letter until mile river car feet care second book carry took
    science eat room friend began idea fish mountain stop once base hear horse cut sure watch color face wood main
    enough plain girl usual young ready above ever red list though feel talk bird soon body dog family direct pose
    leave song measure door product black short numeral class wind question happen complete ship area half rock
    order fire south problem piece told knew pass since top whole king space heard best hour better true during
    hundred five remember step early hold west ground interest reach fast verb sing listen six table travel less
    morning ten simple several vowel toward war lay against pattern slow center love person money serve appear
    road map rain rule govern pull cold notice voice unit power town fine certain fly fall lead cry dark machine
    note wait plan figure star box noun field rest correct able pound done beauty drive stood contain front teach
    week final gave green quick develop ocean warm free minute strong special mind behind clear tail produce fact
    street inch multiply nothing course stay wheel full force blue object decide surface deep moon island foot
    system busy test record boat common gold possible plane stead dry wonder laugh thousand ago ran check game
    shape equate miss brought heat snow tire bring yes distant fill east paint language among garden recipe
    kitchen coffee winter summer autumn spring travel photo camera market bread cheese tomato pasta bicycle
    harbor village festival library museum theater concert journey weekend holiday neighbor community
    """.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "tas", "vel", "dor", "pin", "sul", "ber", "qua", "zen", "mor", "fel", "tri",
        "gan", "hol", "nix", "pra", "sto", "vin", "wel", "yar", "cor", "dal", "eph", "gil", "jor", "lun", "mab",
    ];

    private readonly Random _random;
    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;

    public DemoText(int seed, int vocabularySize = 6000)
    {
        _random = new Random(seed);
        var invented = new HashSet<string>(StringComparer.Ordinal);
        var wordRandom = new Random(seed ^ 0x5eed);
        while (Common.Length + invented.Count < vocabularySize)
        {
            var parts = wordRandom.Next(2, 4);
            var sb = new StringBuilder();
            for (var i = 0; i < parts; i++) sb.Append(Syllables[wordRandom.Next(Syllables.Length)]);
            var w = sb.ToString();
            if (!Common.Contains(w)) invented.Add(w);
        }
        _vocabulary = [.. Common, .. invented.Order(StringComparer.Ordinal)];
        // Zipf with s = 1.05: rank r is drawn with weight 1 / r^s.
        _cumulative = new double[_vocabulary.Length];
        double total = 0;
        for (var r = 0; r < _vocabulary.Length; r++)
        {
            total += 1.0 / Math.Pow(r + 1, 1.05);
            _cumulative[r] = total;
        }
        for (var r = 0; r < _cumulative.Length; r++) _cumulative[r] /= total;
    }

    public Random Random => _random;

    /// <summary>The vocabulary, most frequent word first (benchmarks pick query words from it).</summary>
    public IReadOnlyList<string> VocabularyByFrequency() => _vocabulary;

    public string Word()
    {
        var x = _random.NextDouble();
        var i = Array.BinarySearch(_cumulative, x);
        return _vocabulary[i < 0 ? Math.Min(~i, _vocabulary.Length - 1) : i];
    }

    public string Words(int min, int max)
    {
        var n = _random.Next(min, max + 1);
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(Word());
        }
        return sb.ToString();
    }

    public string Title()
    {
        var t = Words(3, 8);
        return char.ToUpperInvariant(t[0]) + t[1..];
    }

    public string Sentence()
    {
        var s = Words(6, 18);
        return char.ToUpperInvariant(s[0]) + s[1..] + (_random.Next(10) == 0 ? "?" : ".");
    }

    public string Paragraph(int minSentences = 2, int maxSentences = 7)
    {
        var n = _random.Next(minSentences, maxSentences + 1);
        return string.Join(' ', Enumerable.Range(0, n).Select(_ => Sentence()));
    }

    /// <summary>A post body as WordPress stores it: paragraphs separated by blank lines, some markup.</summary>
    public string Body(int minParagraphs = 2, int maxParagraphs = 9)
    {
        var n = _random.Next(minParagraphs, maxParagraphs + 1);
        var sb = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            if (i > 0) sb.Append("\n\n");
            switch (_random.Next(12))
            {
                case 0:
                    sb.Append("<h2>").Append(Title()).Append("</h2>");
                    break;
                case 1:
                    sb.Append("<ul>\n");
                    for (var j = _random.Next(2, 6); j > 0; j--) sb.Append("<li>").Append(Words(2, 6)).Append("</li>\n");
                    sb.Append("</ul>");
                    break;
                case 2:
                    sb.Append("<blockquote>").Append(Sentence()).Append("</blockquote>");
                    break;
                default:
                    var p = Paragraph();
                    var cut = p.IndexOf(' ', Math.Min(p.Length - 1, _random.Next(5, 40)));
                    sb.Append(cut > 0 && _random.Next(4) == 0 ? $"{p[..cut]} <strong>{Word()}</strong>{p[cut..]}" : p);
                    break;
            }
        }
        return sb.ToString();
    }
}
