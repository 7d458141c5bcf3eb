namespace PressMcp;

/// <summary>
/// The one way text is cut to the bound of the column or message it goes into (activity log fields, error messages
/// that quote input), so every cut looks alike and none leaves half a character behind.
/// </summary>
internal static class TextBounds
{
    /// <summary>
    /// <paramref name="value"/> itself when it fits; otherwise its start and "…", at most <paramref name="max"/>
    /// characters in all. The cut never splits a surrogate pair: a lone half is not valid UTF-16 and would be stored
    /// or shown as a replacement character.
    /// </summary>
    public static string Shorten(string value, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (value.Length <= max) return value;
        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1])) cut--;
        return string.Concat(value.AsSpan(0, cut), "…");
    }
}
