using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PressMcp.Accounts.AppPasswords;

/// <summary>
/// A WordPress-style Application Password: a named, revocable credential for the MCP Adapter endpoint. Only
/// the SHA-256 hash of the password is stored (see <see cref="AppPasswordSecret"/> for why a fast hash is enough).
/// </summary>
internal sealed class AppPassword
{
    public long Id { get; set; }
    public long UserId { get; set; }
    /// <summary>The name as the user typed it, shown in lists and in the activity log (<c>app-password:NAME</c>).</summary>
    public required string Name { get; set; }
    /// <summary>The name lower-cased: names are unique per user whatever their case (a unique index, so a race cannot duplicate one).</summary>
    public required string NameKey { get; set; }
    /// <summary>Lower-case hex SHA-256 of the password without spaces.</summary>
    public required string Hash { get; set; }
    public DateTime CreatedUtc { get; set; }
    /// <summary>Written at most once a day (like WordPress), so a busy agent does not write on every call.</summary>
    public DateTime? LastUsedUtc { get; set; }
    public string? LastIp { get; set; }
}

internal sealed class AppPasswordMapping : IEntityTypeConfiguration<AppPassword>
{
    public const int NameLength = 100;

    public void Configure(EntityTypeBuilder<AppPassword> e)
    {
        e.ToTable("app_passwords");
        e.HasKey(p => p.Id);
        e.Property(p => p.Name).HasMaxLength(NameLength);
        e.Property(p => p.NameKey).HasMaxLength(NameLength);
        e.Property(p => p.Hash).HasMaxLength(64);
        // An IPv6 address with a zone id fits in 64 characters.
        e.Property(p => p.LastIp).HasMaxLength(64);
        e.HasIndex(p => new { p.UserId, p.NameKey }).IsUnique();
        e.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
