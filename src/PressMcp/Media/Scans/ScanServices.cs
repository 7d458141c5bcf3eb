using Microsoft.Extensions.AI;
using PressMcp.Abilities;
using PressMcp.Media.Cleanup;
using PressMcp.Media.Organizer;

namespace PressMcp.Media.Scans;

/// <summary>Background scans (cleanup and the AI organizer), their runner, actions and abilities.</summary>
internal static class ScanServices
{
    public static IServiceCollection AddMediaScans(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPressOptions<ScanOptions>();
        services.AddPressOptions<OrganizerOptions>();
        services.AddScoped<ScanStore>();
        services.AddScoped<CleanupActions>();
        services.AddSingleton<IScanWork, CleanupScan>();
        services.AddSingleton<IScanWork, OrganizerScan>();
        services.AddPressOptions<Exports.ExportOptions>().PostConfigure<Storage.StorageSettings>((o, storage) => o.Directory = Exports.ExportOptions.DirectoryFor(o.Directory, storage));
        services.AddSingleton<IScanWork, Exports.FolderExport>();
        services.AddSingleton<Exports.ExportLinks>();
        services.AddScoped<Abilities.ExportJobs>();
        services.AddSingleton<ScanRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ScanRunner>());
        services.AddHttpClient(OrganizerOptions.ChatClientKey);
        // A chat client registered under the organizer's key (tests, or a host with its own) wins; otherwise one is made
        // from the configured endpoint; otherwise there is none and the organizer uses the heuristic.
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<OrganizerOptions>();
            var client = sp.GetKeyedService<IChatClient>(OrganizerOptions.ChatClientKey);
            if (client is null && options.ChatBaseAddress is { } endpoint)
            {
                var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(OrganizerOptions.ChatClientKey);
                http.Timeout = options.Timeout + TimeSpan.FromSeconds(5);
                client = new OpenAiCompatibleChatClient(http, endpoint, options.Model!, options.Key);
            }
            return new OrganizerModel(client, options, sp.GetRequiredService<ILogger<OrganizerModel>>());
        });
        services.AddAbility<Abilities.CleanupStartAbility>();
        services.AddAbility<Abilities.CleanupStatusAbility>();
        services.AddAbility<Abilities.CleanupCancelAbility>();
        services.AddAbility<Abilities.CleanupStatsAbility>();
        services.AddAbility<Abilities.CleanupResultsAbility>();
        services.AddAbility<Abilities.CleanupArchiveAbility>();
        services.AddAbility<Abilities.CleanupTrashAbility>();
        services.AddAbility<Abilities.CleanupDeleteAbility>();
        services.AddAbility<Abilities.OrganizerStartAbility>();
        services.AddAbility<Abilities.OrganizerStatusAbility>();
        services.AddAbility<Abilities.OrganizerCancelAbility>();
        services.AddAbility<Abilities.ExportStartAbility>();
        services.AddAbility<Abilities.ExportStatusAbility>();
        services.AddAbility<Abilities.ExportListAbility>();
        services.AddAbility<Abilities.ExportDeleteAbility>();
        return services;
    }
}
