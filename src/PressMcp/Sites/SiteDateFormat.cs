using System.Globalization;
using System.Text;

namespace PressMcp.Sites;

/// <summary>
/// WordPress's date and time formats (PHP's <c>date()</c> letters, e.g. <c>F j, Y</c> or <c>g:i a</c>) applied to a
/// time on the site, in English as WordPress's default locale writes them. A backslash makes the next character
/// literal; characters that are not format letters are copied. Work is linear in the format's length (bounded by
/// <see cref="SiteSettingsCatalog.MaxFormatLength"/> where it is stored).
/// </summary>
internal static class SiteDateFormat
{
    /// <summary><paramref name="utc"/> on <paramref name="site"/>'s clock, written with <paramref name="format"/>.</summary>
    public static string Format(Site site, DateTime utc, string format)
    {
        var zone = SiteTime.ZoneOf(site);
        var at = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return Format(new DateTimeOffset(TimeZoneInfo.ConvertTimeFromUtc(at, zone), zone.GetUtcOffset(at)), zone.Id, format);
    }

    public static string Format(DateTimeOffset local, string zoneId, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var d = local.DateTime;
        var text = new StringBuilder(format.Length * 3);
        for (var i = 0; i < format.Length; i++)
        {
            var letter = format[i];
            if (letter == '\\')
            {
                if (i + 1 < format.Length) text.Append(format[++i]);
                continue;
            }
            text.Append(letter switch
            {
                'd' => d.ToString("dd", c),
                'D' => d.ToString("ddd", c),
                'j' => d.Day.ToString(c),
                'l' => d.ToString("dddd", c),
                'N' => (d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek).ToString(c),
                'S' => Suffix(d.Day),
                'w' => ((int)d.DayOfWeek).ToString(c),
                'z' => (d.DayOfYear - 1).ToString(c),
                'W' => ISOWeek.GetWeekOfYear(d).ToString("00", c),
                'F' => d.ToString("MMMM", c),
                'm' => d.ToString("MM", c),
                'M' => d.ToString("MMM", c),
                'n' => d.Month.ToString(c),
                't' => DateTime.DaysInMonth(d.Year, d.Month).ToString(c),
                'L' => DateTime.IsLeapYear(d.Year) ? "1" : "0",
                'o' => ISOWeek.GetYear(d).ToString(c),
                'Y' => d.Year.ToString(c),
                'y' => d.ToString("yy", c),
                'a' => d.Hour < 12 ? "am" : "pm",
                'A' => d.Hour < 12 ? "AM" : "PM",
                'g' => (d.Hour % 12 == 0 ? 12 : d.Hour % 12).ToString(c),
                'G' => d.Hour.ToString(c),
                'h' => (d.Hour % 12 == 0 ? 12 : d.Hour % 12).ToString("00", c),
                'H' => d.ToString("HH", c),
                'i' => d.ToString("mm", c),
                's' => d.ToString("ss", c),
                'u' => d.ToString("ffffff", c),
                'v' => d.ToString("fff", c),
                'e' => zoneId,
                // No abbreviations (CET, PST) are known for every zone on every system: the offset stands for one.
                'T' or 'P' => Offset(local.Offset, colon: true),
                'p' => local.Offset == TimeSpan.Zero ? "Z" : Offset(local.Offset, colon: true),
                'O' => Offset(local.Offset, colon: false),
                'Z' => ((int)local.Offset.TotalSeconds).ToString(c),
                'c' => local.ToString("yyyy-MM-dd'T'HH:mm:ss", c) + Offset(local.Offset, colon: true),
                'r' => local.ToString("ddd, dd MMM yyyy HH:mm:ss ", c) + Offset(local.Offset, colon: false),
                'U' => local.ToUnixTimeSeconds().ToString(c),
                _ => letter.ToString(),
            });
        }
        return text.ToString();
    }

    private static string Suffix(int day) => day switch
    {
        1 or 21 or 31 => "st",
        2 or 22 => "nd",
        3 or 23 => "rd",
        _ => "th",
    };

    private static string Offset(TimeSpan offset, bool colon)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{(colon ? ":" : "")}{abs.Minutes:00}");
    }
}
