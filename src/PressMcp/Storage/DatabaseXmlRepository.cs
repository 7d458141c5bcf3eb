using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace PressMcp.Storage;

/// <summary>
/// Keeps ASP.NET Core Data Protection keys (cookies, antiforgery tokens) in the database, so sign-ins survive
/// restarts and every instance behind a load balancer can read what another wrote. The package that does this
/// (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore) is not on our registry; this is its few lines.
/// </summary>
internal sealed class DatabaseXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        return db.DataProtectionKeys.Select(k => k.Xml).AsEnumerable()
            .Where(x => !string.IsNullOrEmpty(x))
            .Select(x => XElement.Parse(x!))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        db.DataProtectionKeys.Add(new StoredDataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
