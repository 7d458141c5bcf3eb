namespace PressMcp.Content.Search;

/// <summary>
/// Evaluates, for one post's facet tokens, an FTS5 expression over the facets column as <see cref="SearchFacets"/> writes
/// it (<see cref="SearchFacets.Hidden"/>, <see cref="SearchFacets.HiddenContent"/>): quoted tokens, parentheses, OR, AND
/// and NOT, inside <c>facets : ( … )</c>. The in-memory search (<see cref="SearchPostings"/>) tests visibility with the
/// very text the SQL statements send, read with FTS5's own precedence (NOT binds tighter than AND, AND tighter than OR,
/// each left to right), so the two paths cannot disagree on who sees what, even where the text groups differently from
/// what its writer meant. Anything else in the text (a construct SearchFacets does not write) is refused: null.
/// </summary>
internal static class FacetExpression
{
    /// <summary>A compiled expression: true when the post's tokens match it.</summary>
    public delegate bool Test(IReadOnlySet<string> tokens);

    /// <summary>The expression compiled, or null when it holds anything but the constructs above.</summary>
    public static Test? Compile(string expression)
    {
        var parser = new Parser(expression);
        try
        {
            var test = parser.Or();
            parser.SkipSpaces();
            return parser.AtEnd ? test : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed class Parser(string text)
    {
        private int _at;

        public bool AtEnd => _at == text.Length;

        public void SkipSpaces()
        {
            while (_at < text.Length && text[_at] == ' ') _at++;
        }

        public Test Or()
        {
            var left = And();
            while (Keyword("OR"))
            {
                var (a, b) = (left, And());
                left = t => a(t) || b(t);
            }
            return left;
        }

        private Test And()
        {
            var left = Not();
            while (Keyword("AND"))
            {
                var (a, b) = (left, Not());
                left = t => a(t) && b(t);
            }
            return left;
        }

        private Test Not()
        {
            var left = Primary();
            while (Keyword("NOT"))
            {
                var (a, b) = (left, Primary());
                left = t => a(t) && !b(t);
            }
            return left;
        }

        private Test Primary()
        {
            SkipSpaces();
            if (_at >= text.Length) throw new FormatException();
            switch (text[_at])
            {
                case '"':
                    var end = text.IndexOf('"', _at + 1);
                    if (end < 0) throw new FormatException();
                    var token = text[(_at + 1)..end];
                    _at = end + 1;
                    return t => t.Contains(token);
                case '(':
                    _at++;
                    var inner = Or();
                    Expect(')');
                    return inner;
                default:
                    // The column filter: every token of the expression is a facet token, found only in that column.
                    if (!Keyword("facets")) throw new FormatException();
                    Expect(':');
                    Expect('(');
                    var filtered = Or();
                    Expect(')');
                    return filtered;
            }
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (_at >= text.Length || text[_at] != c) throw new FormatException();
            _at++;
        }

        private bool Keyword(string word)
        {
            SkipSpaces();
            if (string.CompareOrdinal(text, _at, word, 0, word.Length) != 0) return false;
            var after = _at + word.Length;
            if (after < text.Length && text[after] is not (' ' or '(' or '"' or ':')) return false;
            _at = after;
            return true;
        }
    }
}
