using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PressMcp.OAuth.Model;
using PressMcp.Storage;

namespace PressMcp.OAuth.Clients;

/// <summary>
/// Registered clients and clients known by their metadata document. A document client gets a row too (its
/// latest metadata), so grants, codes and tokens refer to it like to any other client.
/// </summary>
internal sealed class ClientStore(PressDbContext db, MetadataDocumentFetcher documents, TimeProvider clock, IOptions<OAuthOptions> options)
{
    public async Task<OAuthClient> RegisterAsync(ClientMetadata metadata, CancellationToken ct)
    {
        var client = new OAuthClient
        {
            Id = Secrets.NewClientId(),
            Name = metadata.Name is { Length: > 0 } name ? name : RedirectUris.DisplayHost(metadata.RedirectUris[0]),
            RedirectUris = string.Join('\n', metadata.RedirectUris),
            Scope = metadata.Scope,
            ApplicationType = metadata.ApplicationType,
            ClientUri = metadata.ClientUri,
            LogoUri = metadata.LogoUri,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.OAuthClients.Add(client);
        await db.SaveChangesAsync(ct);
        await TrimUnapprovedAsync(client.Id, ct);
        return client;
    }

    /// <summary>
    /// Keeps the newest <see cref="OAuthOptions.MaxUnapprovedClients"/> clients nobody approved and deletes the rest:
    /// anyone may register, so without a cap a stranger could grow the database without end. (The clean-up service
    /// also deletes them by age.) The client just added always stays. One DELETE; concurrent registrations at worst
    /// both delete the same rows.
    /// </summary>
    private async Task TrimUnapprovedAsync(string added, CancellationToken ct)
    {
        var keepOthers = Math.Max(1, options.Value.MaxUnapprovedClients) - 1;
        var beyond = db.OAuthClients.Where(c => c.FirstApprovedUtc == null && c.Id != added)
            .OrderByDescending(c => c.CreatedUtc).ThenByDescending(c => c.Id).Skip(keepOthers).Select(c => c.Id);
        await db.OAuthClients.Where(c => beyond.Contains(c.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>A client by id, as stored: what the token, revocation and introspection endpoints need.</summary>
    public Task<OAuthClient?> FindAsync(string? clientId, CancellationToken ct) =>
        string.IsNullOrEmpty(clientId) || clientId.Length > OAuthColumns.ClientIdLength
            ? Task.FromResult<OAuthClient?>(null)
            : db.OAuthClients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId, ct);

    /// <summary>
    /// A client for an authorization request. A metadata document URL is fetched (or taken from the cache)
    /// and its row brought up to date; a registered id is looked up.
    /// </summary>
    public async Task<(OAuthClient? Client, OAuthError? Error)> FindForAuthorizationAsync(string? clientId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientId)) return (null, new OAuthError(OAuthErrors.InvalidRequest, "the client_id parameter is missing"));
        if (!MetadataDocumentFetcher.IsDocumentUrl(clientId))
        {
            var registered = await FindAsync(clientId, ct);
            return registered is null || registered.IsMetadataDocument
                ? (null, new OAuthError(OAuthErrors.InvalidClient, "the client_id is not registered with this server"))
                : (registered, null);
        }

        var (metadata, error) = await documents.FetchAsync(clientId, ct);
        if (error is not null) return (null, error);
        return (await UpsertDocumentClientAsync(clientId, metadata!, ct), null);
    }

    private async Task<OAuthClient> UpsertDocumentClientAsync(string url, ClientMetadata metadata, CancellationToken ct)
    {
        var client = await db.OAuthClients.FirstOrDefaultAsync(c => c.Id == url, ct);
        if (client is null)
        {
            client = new OAuthClient { Id = url, Name = "", RedirectUris = "", IsMetadataDocument = true, CreatedUtc = clock.GetUtcNow().UtcDateTime };
            db.OAuthClients.Add(client);
        }
        client.Name = metadata.Name is { Length: > 0 } name ? name : new Uri(url).IdnHost;
        client.RedirectUris = string.Join('\n', metadata.RedirectUris);
        client.Scope = metadata.Scope;
        client.ApplicationType = metadata.ApplicationType;
        client.ClientUri = metadata.ClientUri;
        client.LogoUri = metadata.LogoUri;
        var inserted = db.Entry(client).State == EntityState.Added;
        try
        {
            await db.SaveChangesAsync(ct);
            if (inserted) await TrimUnapprovedAsync(client.Id, ct);
        }
        catch (DbUpdateException)
        {
            // Another request (or instance) inserted the same document client first: theirs is as good as ours.
            db.ChangeTracker.Clear();
            client = await db.OAuthClients.AsNoTracking().FirstAsync(c => c.Id == url, ct);
        }
        return client;
    }
}
