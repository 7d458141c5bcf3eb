using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Json.Schema;
using PressMcp.Abilities;
using PressMcp.Content.Abilities;

namespace PressMcp.Bench;

/// <summary>
/// Our input validator against JsonSchema.Net 8.0.5 on the same generated schemas and inputs, in one process, one
/// after the other per case: the consolidation issue lets a well-kept library replace ours if it is as fast.
/// CPU time per validation, median of 5 rounds of N validations each, after a warm-up round.
/// </summary>
internal static class ValidatorBench
{
    public static void Run(int iterations)
    {
        var search = Ability.Of<PostSearchAbility>();
        var create = Ability.Of<CreatePostAbility>();
        var content = new StringBuilder();
        while (content.Length < 20_000) content.Append("<p>Tomatoes want sun, water at the root and patience; the first truss sets in June.</p>\n");
        var cases = new (string Name, Ability Ability, string Input)[]
        {
            ("posts/search, typical", search, """{"wpcom_site":"garden","search":"tomato seedlings","status":"publish","orderby":"date","per_page":20}"""),
            ("posts/create, 20 KB content", create, JsonSerializer.Serialize(new Dictionary<string, object>
                { ["wpcom_site"] = "garden", ["title"] = "Tomato diary", ["content"] = content.ToString(), ["status"] = "draft", ["tags"] = new object[] { "tomatoes", 12, "summer" } })),
            ("posts/create, invalid (unknown field)", create, """{"wpcom_site":"garden","title":"x","surprise":1}"""),
        };
        Console.WriteLine("| case | ours µs | JsonSchema.Net µs | ratio (theirs / ours) | same verdict |");
        Console.WriteLine("|---|---|---|---|---|");
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Flag };
        foreach (var (name, ability, text) in cases)
        {
            var input = JsonDocument.Parse(text).RootElement;
            var theirs = JsonSchema.FromText(ability.InputSchema.GetRawText());
            var oursOk = ability.Input.Validate(input) is null;
            var theirsOk = theirs.Evaluate(input, options).IsValid;
            var ours = Time(iterations, () => ability.Input.Validate(input));
            var library = Time(iterations, () => theirs.Evaluate(input, options));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {ours:F2} | {library:F2} | {library / ours:F1} | {(oursOk == theirsOk ? "yes" : "NO")} |"));
        }
    }

    private static double Time(int iterations, Action action)
    {
        for (var i = 0; i < iterations; i++) action();
        var rounds = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++) action();
            rounds.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / iterations);
        }
        return rounds.Order().ElementAt(2);
    }
}
