using System.Data;
using Microsoft.EntityFrameworkCore;
using PressMcp.Sites;
using PressMcp.Storage;
using PressMcp.Storage.Sql;

namespace PressMcp.Tests.Storage.Sql;

/// <summary>
/// The one way hand-written SQL uses a context's connection: it opens it when closed and closes it again, leaves open
/// what was open (a request's connection, a transaction's), and its commands join the context's transaction, on SQLite
/// and PostgreSQL.
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class ContextConnectionTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        _site = await _services.CreateNewsSiteAsync();
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task OpenAsync_ClosedConnection_OpensItAndClosesItAtDisposal()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        Assert.Equal(ConnectionState.Closed, db.Database.GetDbConnection().State);
        await using (var connection = await ContextConnection.OpenAsync(db, default))
        {
            Assert.Equal(ConnectionState.Open, connection.Connection.State);
            await using var command = connection.Command("SELECT title FROM sites WHERE id = @id");
            command.AddParameter("@id", _site.Id);
            Assert.Equal("News", await command.ExecuteScalarAsync());
        }
        Assert.Equal(ConnectionState.Closed, db.Database.GetDbConnection().State);
    }

    [Fact]
    public async Task OpenAsync_ConnectionAlreadyOpen_LeavesItOpen()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await db.Database.OpenConnectionAsync();
        await using (await ContextConnection.OpenAsync(db, default))
        {
        }
        Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State);
        // And EF Core still closes it when its opener does.
        await db.Database.CloseConnectionAsync();
        Assert.Equal(ConnectionState.Closed, db.Database.GetDbConnection().State);
    }

    [Fact]
    public async Task OpenAsync_KeepOpen_LeavesItOpenForTheContext()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await using (await ContextConnection.OpenAsync(db, default, keepOpen: true))
        {
        }
        Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State);
        Assert.Equal("News", await db.Sites.Where(s => s.Id == _site.Id).Select(s => s.Title).SingleAsync());
    }

    [Fact]
    public async Task Command_InEfCoreTransaction_JoinsItAndRollsBackWithIt()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await using (var connection = await ContextConnection.OpenAsync(db, default))
            {
                Assert.Same(ContextConnection.TransactionOf(db).Transaction, connection.Transaction);
                await using var command = connection.Command("UPDATE sites SET title = @title WHERE id = @id");
                command.AddParameter("@title", "Changed");
                command.AddParameter("@id", _site.Id);
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
            }
            // The transaction's connection stays open after the helper is disposed, and sees the change.
            Assert.Equal(ConnectionState.Open, db.Database.GetDbConnection().State);
            Assert.Equal("Changed", await db.Sites.Where(s => s.Id == _site.Id).Select(s => s.Title).SingleAsync());
            await tx.RollbackAsync();
        }
        Assert.Equal("News", await _services.WithAsync(sp => sp.GetRequiredService<PressDbContext>().Sites.Where(s => s.Id == _site.Id).Select(s => s.Title).SingleAsync()));
    }

    [Fact]
    public async Task TransactionOf_ContextWithoutTransaction_IsRefused()
    {
        await using var scope = _services.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var refused = Assert.Throws<InvalidOperationException>(() => ContextConnection.TransactionOf(db));
        Assert.Contains("no transaction", refused.Message);
    }
}
