using System.Security.Cryptography;
using System.Text;

namespace PressMcp.Accounts;

/// <summary>
/// Guards the first-run setup page: it creates the first server admin only while no user exists, and only
/// for someone who has the one-time code that <c>serve</c> printed to its console, so the first visitor of
/// an exposed server cannot take it over.
/// </summary>
internal sealed class SetupGate
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I
    private readonly Lock _lock = new();
    private byte[]? _code;

    /// <summary>Creates a new code (four groups of four) and returns it for printing.</summary>
    public string IssueCode()
    {
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var code = string.Join('-', Enumerable.Range(0, 4).Select(g => new string(chars, g * 4, 4)));
        lock (_lock) _code = Encoding.ASCII.GetBytes(Normalize(code));
        return code;
    }

    public bool HasCode
    {
        get { lock (_lock) return _code is not null; }
    }

    /// <summary>Checks a code in constant time (no timing hints about how much of it was right).</summary>
    public bool Verify(string? candidate)
    {
        byte[]? code;
        lock (_lock) code = _code;
        if (code is null || string.IsNullOrEmpty(candidate)) return false;
        var given = Encoding.ASCII.GetBytes(Normalize(candidate));
        return CryptographicOperations.FixedTimeEquals(given, code);
    }

    /// <summary>Used once: after the first admin exists the code is gone.</summary>
    public void Consume()
    {
        lock (_lock) _code = null;
    }

    private static string Normalize(string code) =>
        new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
