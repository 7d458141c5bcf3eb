using System.Text;
using System.Text.Json;
using PressMcp.Mcp;

namespace PressMcp.Activity;

/// <summary>
/// A short, safe rendering of a tool call's arguments for the activity log: names with short scalar values,
/// long text cut, anything that could hold a secret or a whole body shown only by its length. Arguments that are not
/// valid text (a lone surrogate escape) are rendered with U+FFFD (<see cref="ClientJson"/>), so a call is logged
/// whatever it sent.
/// </summary>
internal static class ArgumentSummary
{
    private const int MaxLength = 300;
    private const int MaxValue = 40;

    // Field names whose values are never written: credentials, and bodies that are content rather than a choice.
    private static readonly string[] Withheld = ["password", "secret", "token", "key", "content", "data", "body", "file"];

    public static string Render(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object) return "";
        var text = new StringBuilder();
        Append(text, arguments, prefix: "");
        return text.Length <= MaxLength ? text.ToString() : text.ToString(0, MaxLength - 1) + "…";
    }

    private static void Append(StringBuilder text, JsonElement obj, string prefix)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (text.Length > MaxLength) return;
            var own = p.DisplayName();
            var name = prefix + own;
            if (p.Value.ValueKind == JsonValueKind.Object && prefix.Length == 0)
            {
                Append(text, p.Value, name + ".");
                continue;
            }
            if (text.Length > 0) text.Append(' ');
            text.Append(name).Append('=').Append(Value(own, p.Value));
        }
    }

    private static string Value(string name, JsonElement v)
    {
        var withheld = Withheld.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                // A withheld value is measured where it lies: an upload's data is never turned into a string for the log.
                if (withheld) return v.TryMeasureText(out var length) ? $"({length} chars)" : "(withheld)";
                var s = v.DisplayText();
                s = s.ReplaceLineEndings(" ");
                return s.Length <= MaxValue ? Quote(s) : Quote(s[..MaxValue] + "…");
            case JsonValueKind.Array:
                return $"[{v.GetArrayLength()} items]";
            case JsonValueKind.Object:
                return "{…}";
            default:
                return withheld ? "(withheld)" : v.GetRawText();
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "'", StringComparison.Ordinal) + "\"";
}
