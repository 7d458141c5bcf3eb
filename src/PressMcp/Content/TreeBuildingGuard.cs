using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens.Struct;
using AngleSharp.Text;

namespace PressMcp.Content;

/// <summary>
/// Keeps AngleSharp's HTML5 tree construction linear in the length of a post. The HTML5 algorithm walks the stack of
/// open elements and the list of active formatting elements for most tokens, so markup that makes either grow with
/// the input (thousands of unclosed <c>&lt;div&gt;</c>, nested lists, <c>&lt;b&gt;&lt;i&gt;</c> repeated, formatting
/// elements left open across paragraphs) costs time quadratic in its length, and formatting elements reopened in
/// every paragraph can multiply the output. Sitting between AngleSharp's tokenizer and its tree builder (a tokenizer
/// middleware, so the tokens are exactly the parser's), it bounds the three:
/// <list type="bullet">
/// <item>Nesting depth, as browsers do (Blink and WebKit stop nesting at 512): a start tag that would open an element
/// deeper than <see cref="MaxDepth"/> is not opened, and the matching end tag is dropped with it. The depth is
/// measured, not predicted: after every token the deepest element it created is walked up to the root (at most
/// <see cref="MaxDepth"/> steps), and while the last measurement was at the bound each start tag is first tried as a
/// void <c>&lt;param&gt;</c> (dropped by the sanitizer) that measures the depth again without nesting.</item>
/// <item>Open formatting elements (<c>b</c>, <c>i</c>, <c>a</c>, …; the list the algorithm reopens in each new
/// block): at most <see cref="MaxOpenFormatting"/> started and not yet ended; further ones are not opened.</item>
/// <item>Elements the algorithm creates without a start tag of their own (formatting elements reopened, the copies
/// the adoption agency makes): their count plus the length of their attributes may reach twice the input plus
/// 64 Ki; past that the parse stops there and the rest of the post is not shown.</item>
/// </list>
/// None of the bounds is reached by ordinary posts; they only shape pathological markup. One guard parses one input.
/// </summary>
internal sealed class TreeBuildingGuard
{
    /// <summary>How deep elements nest (the root element is 1); a quarter of what would overflow nothing, half of Blink's.</summary>
    public const int MaxDepth = 256;

    /// <summary>Formatting elements started and not yet ended at one time; ordinary prose nests three or four.</summary>
    public const int MaxOpenFormatting = 32;

    private const string Probe = "param";

    // The HTML5 formatting elements: the ones the tree builder remembers and reopens.
    private static readonly HashSet<string> Formatting = new(StringComparer.Ordinal)
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    };

    // Elements that are inserted and closed at once (no end tag, never on the stack of open elements).
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
        "link", "meta", "param", "source", "track", "wbr",
    };

    /// <summary>
    /// Marks a text of white space only, which AngleSharp's document parse with a middleware would drop (its fragment
    /// parse keeps it): the space between <c>&lt;b&gt;a&lt;/b&gt; &lt;i&gt;b&lt;/i&gt;</c> matters. A noncharacter,
    /// so no text means it; <see cref="HtmlSanitizer"/> removes every one from its output.
    /// </summary>
    public const char WhiteSpaceMark = '\uFDD0';

    private readonly CancellationToken _ct;
    // Where the tokens are: 'T' directly in a table's structure (white space there is dropped: it is not content),
    // 'C' in a cell or caption (content again). Approximate, and only used to decide whether to keep white space.
    private readonly List<char> _tables = [];
    private readonly List<IElement> _created = [];
    private readonly Dictionary<string, int> _suppressed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _openFormatting = new(StringComparer.Ordinal);
    private readonly Dictionary<INode, IElement> _templateHosts = new(ReferenceEqualityComparer.Instance);
    private int _openFormattingTotal;
    private int _depth;
    private long _copyBudget;
    private int _tokens;

    public TreeBuildingGuard(int inputLength, CancellationToken ct)
    {
        _ct = ct;
        _copyBudget = 2L * inputLength + 64 * 1024;
    }

    /// <summary>True when the parse was stopped because the markup made the parser copy too many elements.</summary>
    public bool Truncated { get; private set; }

    /// <summary>For <see cref="HtmlParserOptions.OnCreated"/>: every element the tree builder creates.</summary>
    public void OnCreated(IElement element, TextPosition position)
    {
        _created.Add(element);
        // A template's children live in its content fragment; the depth walk crosses from the fragment to the template.
        if (element is AngleSharp.Html.Dom.IHtmlTemplateElement template) _templateHosts[template.Content] = template;
    }

    /// <summary>The tokenizer middleware.</summary>
    public TokenConsumptionResult Consume(ref StructHtmlToken token, TokenConsumer next)
    {
        // Cancellation is checked every so many tokens: a client that has gone does not keep a large parse running.
        if ((++_tokens & 1023) == 0) _ct.ThrowIfCancellationRequested();

        var closesAtOnce = true;
        var ownElement = 0;
        if (token.Type == HtmlTokenType.Character)
        {
            if (IsWhiteSpace(token.Name.Memory.Span) && (_tables.Count == 0 || _tables[^1] != 'T'))
                token.Name = string.Concat(token.Name.Memory.Span, [WhiteSpaceMark]);
        }
        else if (token.Type == HtmlTokenType.StartTag)
        {
            var name = token.Name.ToString();
            var isVoid = Void.Contains(name);
            if (Formatting.Contains(name))
            {
                if (_openFormattingTotal >= MaxOpenFormatting) return Suppress(name);
                _openFormatting[name] = _openFormatting.GetValueOrDefault(name) + 1;
                _openFormattingTotal++;
            }
            if (!isVoid && _depth >= MaxDepth && !Shallower(ref token, next))
            {
                // Not nested any deeper: neither this tag nor its end tag reaches the tree builder.
                _suppressed[name] = _suppressed.GetValueOrDefault(name) + 1;
                if (Formatting.Contains(name)) Ended(name);
                return TokenConsumptionResult.Continue;
            }
            closesAtOnce = isVoid;
            ownElement = 1;
            if (!isVoid) TrackTableStart(name);
        }
        else if (token.Type == HtmlTokenType.EndTag)
        {
            var name = token.Name.ToString();
            if (_suppressed.TryGetValue(name, out var dropped) && dropped > 0)
            {
                _suppressed[name] = dropped - 1;
                return TokenConsumptionResult.Continue;
            }
            if (Formatting.Contains(name)) Ended(name);
            TrackTableEnd(name);
        }

        _created.Clear();
        next(ref token);
        if (_created.Count == 0) return TokenConsumptionResult.Continue;

        // The last element created is the deepest: reopened formatting elements come first, then the token's own.
        var deepest = DepthOf(_created[^1]);
        _depth = closesAtOnce && ownElement == 1 ? deepest - 1 : deepest;
        for (var i = 0; i < _created.Count - ownElement; i++)
        {
            var copy = _created[i];
            _copyBudget -= 1;
            foreach (var attribute in copy.Attributes) _copyBudget -= attribute.Name.Length + attribute.Value.Length;
        }
        if (_copyBudget >= 0) return TokenConsumptionResult.Continue;
        Truncated = true;
        return TokenConsumptionResult.Stop;
    }

    /// <summary>
    /// Whether the current node is now above the bound (end tags may have closed elements since the last measure):
    /// a copy of the tag as a void <c>&lt;param&gt;</c>, which nests nothing and which the sanitizer drops, is
    /// inserted where the tag would go, and its depth read.
    /// </summary>
    private bool Shallower(ref StructHtmlToken token, TokenConsumer next)
    {
        var probe = token;
        probe.Name = Probe;
        probe.IsSelfClosing = true;
        _created.Clear();
        next(ref probe);
        if (_created.Count > 0) _depth = DepthOf(_created[^1]) - 1;
        return _depth < MaxDepth;
    }

    private TokenConsumptionResult Suppress(string name)
    {
        _suppressed[name] = _suppressed.GetValueOrDefault(name) + 1;
        return TokenConsumptionResult.Continue;
    }

    private void Ended(string name)
    {
        if (_openFormatting.GetValueOrDefault(name) is var open and > 0)
        {
            _openFormatting[name] = open - 1;
            _openFormattingTotal--;
        }
    }

    private void TrackTableStart(string name)
    {
        // Tables nest no deeper than elements do; the bound keeps the end tags' search short.
        if (_tables.Count >= MaxDepth) return;
        switch (name)
        {
            case "table":
                _tables.Add('T');
                break;
            case "td" or "th" or "caption":
                // A new cell closes the one before.
                if (_tables.Count > 0 && _tables[^1] == 'C') _tables.RemoveAt(_tables.Count - 1);
                if (_tables.Count > 0) _tables.Add('C');
                break;
            case "tr" or "tbody" or "thead" or "tfoot":
                if (_tables.Count > 0 && _tables[^1] == 'C') _tables.RemoveAt(_tables.Count - 1);
                break;
        }
    }

    private void TrackTableEnd(string name)
    {
        var mark = name switch { "table" => 'T', "td" or "th" or "caption" => 'C', _ => ' ' };
        if (mark == ' ') return;
        var at = _tables.LastIndexOf(mark);
        if (at >= 0) _tables.RemoveRange(at, _tables.Count - at);
    }

    /// <summary>AngleSharp's own test for text it does not insert: nothing but space, tab, CR and LF.</summary>
    private static bool IsWhiteSpace(ReadOnlySpan<char> text) => text.Length > 0 && text.Trim(" \t\r\n").Length == 0;

    /// <summary>The element's depth, counted up to the root but never further than just past the bound.</summary>
    private int DepthOf(IElement element)
    {
        var depth = 0;
        for (INode? node = element; node is not null && depth <= MaxDepth; )
        {
            if (node is IElement) depth++;
            node = node.Parent ?? (_templateHosts.TryGetValue(node, out var host) ? host : null);
        }
        return depth;
    }
}
