using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PressMcp.Abilities;

namespace PressMcp.Activity;

/// <summary>
/// One MCP tool call. Written in batches off the request path (<see cref="ActivityLog"/>), so a crash can lose
/// the last second of entries; what must never be lost, the data to reverse a write, is stored with the write
/// itself (<see cref="ChangeRecord"/>) and joined by <see cref="CallId"/>.
/// </summary>
internal sealed class ActivityEntry
{
    public long Id { get; set; }
    public Guid CallId { get; set; }
    public DateTime AtUtc { get; set; }
    public long UserId { get; set; }
    /// <summary>The OAuth client id, or <c>app-password:NAME</c> for an Application Password.</summary>
    public string? Client { get; set; }
    public required string Endpoint { get; set; }
    public required string Tool { get; set; }
    public required string Ability { get; set; }
    public long? SiteId { get; set; }
    public CallOutcome Outcome { get; set; }
    /// <summary>Why it did not succeed, as the agent was told.</summary>
    public string? Message { get; set; }
    public int DurationMs { get; set; }
    /// <summary>A short rendering of the arguments: field names and short values, never secrets or full content.</summary>
    public string Arguments { get; set; } = "";
    public bool IsWrite { get; set; }
}

/// <summary>
/// What a write changed and what is needed to reverse it, saved in the same transaction as the write.
/// A later issue builds undo and approvals on these rows.
/// </summary>
internal sealed class ChangeRecord
{
    public long Id { get; set; }
    public Guid CallId { get; set; }
    public DateTime AtUtc { get; set; }
    public long UserId { get; set; }
    public long SiteId { get; set; }
    /// <summary><c>post</c>, <c>comment</c>, <c>term</c>, <c>media</c>, <c>folder</c>, …</summary>
    public required string ObjectType { get; set; }
    public long ObjectId { get; set; }
    /// <summary><c>create</c>, <c>update</c>, <c>delete</c>, <c>move</c>, …</summary>
    public required string Action { get; set; }
    /// <summary>The object's state before the write as JSON (null for a creation): what undo restores.</summary>
    public string? Before { get; set; }
    /// <summary>For a post or page, the revision holding the previous version.</summary>
    public long? RevisionId { get; set; }
}

internal sealed class ActivityMapping : IEntityTypeConfiguration<ActivityEntry>, IEntityTypeConfiguration<ChangeRecord>
{
    public void Configure(EntityTypeBuilder<ActivityEntry> e)
    {
        e.ToTable("activity_log");
        e.HasKey(a => a.Id);
        e.Property(a => a.Client).HasMaxLength(200);
        e.Property(a => a.Endpoint).HasMaxLength(20);
        e.Property(a => a.Tool).HasMaxLength(100);
        e.Property(a => a.Ability).HasMaxLength(100);
        e.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(20);
        e.Property(a => a.Message).HasMaxLength(1000);
        e.Property(a => a.Arguments).HasMaxLength(1000);
        // No foreign keys: the log outlives deleted users and sites, and writing it must never fail on them.
        // Two indexes, because every MCP call inserts into each (migration ActivityLogLeanIndexes): a user's log newest
        // first, and the call id the change records and the editor's revisions join on. The log is read newest first by
        // id, the order entries were recorded in (each entry's time is taken as it is queued), and pruned by id, so
        // nothing needs an index of its time.
        e.HasIndex(a => new { a.UserId, a.Id });
        e.HasIndex(a => a.CallId);
    }

    /// <summary>
    /// SQLite only: the log's id is the table's rowid without the AUTOINCREMENT EF Core gives an integer key. AUTOINCREMENT
    /// reads and rewrites the table's row in <c>sqlite_sequence</c> at every insert, so that an id is never used twice
    /// even after the newest rows are deleted; the log deletes only its oldest rows (pruning), so the next id is the
    /// largest plus one all the same, without that write on every call.
    /// </summary>
    public static void ConfigureSqlite(ModelBuilder builder) =>
        builder.Entity<ActivityEntry>().Property(a => a.Id).Metadata.SetValueGenerationStrategy(SqliteValueGenerationStrategy.None);

    public void Configure(EntityTypeBuilder<ChangeRecord> e)
    {
        e.ToTable("change_records");
        e.HasKey(c => c.Id);
        e.Property(c => c.ObjectType).HasMaxLength(30);
        e.Property(c => c.Action).HasMaxLength(30);
        e.HasIndex(c => c.CallId);
        e.HasIndex(c => new { c.SiteId, c.ObjectType, c.ObjectId });
    }
}
