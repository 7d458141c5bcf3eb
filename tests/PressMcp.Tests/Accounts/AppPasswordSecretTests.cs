using PressMcp.Accounts.AppPasswords;

namespace PressMcp.Tests.Accounts;

[Trait(Category.Name, Category.Unit)]
public sealed class AppPasswordSecretTests
{
    [Fact]
    public void Generate_SixGroupsOfFour_LettersAndDigits_NeverTheSame()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => AppPasswordSecret.Generate()).ToList();
        Assert.All(passwords, p => Assert.Matches("^[A-Za-z0-9]{4}( [A-Za-z0-9]{4}){5}$", p));
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
        // Every kind of character turns up: the alphabet is the whole of [A-Za-z0-9].
        var all = string.Concat(passwords);
        Assert.Contains(all, char.IsAsciiLetterUpper);
        Assert.Contains(all, char.IsAsciiLetterLower);
        Assert.Contains(all, char.IsAsciiDigit);
    }

    [Theory]
    [InlineData("abcd EFGH 1234 ijkl MNOP 5678", "abcdEFGH1234ijklMNOP5678")]
    [InlineData("abcdEFGH1234ijklMNOP5678", "abcdEFGH1234ijklMNOP5678")]
    [InlineData(" abcd\tEFGH\n1234 ijkl  MNOP 5678 ", "abcdEFGH1234ijklMNOP5678")]
    [InlineData("abcd EFGH 1234 ijkl MNOP 567", null)]
    [InlineData("abcd-EFGH-1234-ijkl-MNOP-5678", null)]
    [InlineData("correct horse battery", null)]
    public void Normalize_DropsWhiteSpace_RefusesOtherShapes(string presented, string? expected) =>
        Assert.Equal(expected, AppPasswordSecret.Normalize(presented));

    [Fact]
    public void Hash_IsCaseSensitive_ComparisonMatchesOnlyEqualHashes()
    {
        var a = AppPasswordSecret.Hash("abcdEFGH1234ijklMNOP5678");
        Assert.Equal(64, a.Length);
        Assert.NotEqual(a, AppPasswordSecret.Hash("ABCDEFGH1234IJKLMNOP5678"));
        Assert.True(AppPasswordSecret.HashesEqual(a, AppPasswordSecret.Hash("abcdEFGH1234ijklMNOP5678")));
        Assert.False(AppPasswordSecret.HashesEqual(a, AppPasswordSecret.Hash("abcdEFGH1234ijklMNOP5679")));
    }
}
