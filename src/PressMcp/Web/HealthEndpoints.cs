using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PressMcp.Storage;

namespace PressMcp.Web;

/// <summary>
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (the database answers and holds this build's schema), for a
/// load balancer or an orchestrator: unauthenticated, cheap, with a one-word body. ASP.NET Core's health checks do the
/// work; the database check is ours.
/// </summary>
internal static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static bool IsProbe(PathString path) => path == "/healthz" || path == "/readyz";

    public static IServiceCollection AddPressHealth(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseReadiness>();
        services.AddHealthChecks().AddCheck<DatabaseReadiness>("database", tags: [ReadyTag]);
        return services;
    }

    public static void MapPressHealth(this WebApplication app)
    {
        // Liveness runs no check: a process that answers is alive, whatever its database does.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
    }
}

/// <summary>
/// Ready when the database answers a query and no migration of this build is missing. The migrations are compared once
/// they matched: they are applied at start-up and never taken back while the process runs; the round trip is made
/// every time, since the database can go away at any moment.
/// </summary>
internal sealed class DatabaseReadiness(IServiceScopeFactory scopes) : IHealthCheck
{
    private volatile bool _schemaCurrent;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            if (!await db.Database.CanConnectAsync(cancellationToken)) return HealthCheckResult.Unhealthy("the database does not answer");
            if (!_schemaCurrent)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0) return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied");
                _schemaCurrent = true;
            }
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reason stays in the server's log; the answer says only that it is not ready.
            return HealthCheckResult.Unhealthy("the database check failed", ex);
        }
    }
}
