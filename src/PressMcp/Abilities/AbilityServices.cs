namespace PressMcp.Abilities;

internal static class AbilityServices
{
    /// <summary>
    /// Registers ability class <typeparamref name="T"/>: created per request scope with its services injected, and
    /// described once in the <see cref="AbilityRegistry"/>. Adding an ability is its file and this line.
    /// </summary>
    public static IServiceCollection AddAbility<T>(this IServiceCollection services) where T : class, IAbilityHandler, IAbilityDefinition
    {
        services.AddScoped<T>();
        services.AddSingleton(_ => Ability.Of<T>());
        return services;
    }
}
