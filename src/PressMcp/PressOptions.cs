using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PressMcp;

/// <summary>An options class bound from one configuration section and checked when the server starts.</summary>
internal interface IPressOptions
{
    /// <summary>The section its properties are bound from (":"-separated; "__" in environment variable names).</summary>
    static abstract string Section { get; }

    /// <summary>What is wrong with the bound values, each naming the key, the value and what is allowed (null where a rule holds).</summary>
    IEnumerable<string?> Problems();
}

/// <summary>
/// The one way options are read: <c>AddOptions&lt;T&gt;().BindConfiguration(T.Section)</c>, checked by
/// <see cref="IPressOptions.Problems"/> at start-up (a bad value stops the server with a message naming it, not a
/// request later), and the checked value registered once for consumers that take <c>T</c> itself.
/// </summary>
internal static class PressOptions
{
    public static OptionsBuilder<T> AddPressOptions<T>(this IServiceCollection services) where T : class, IPressOptions
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, ProblemsValidator<T>>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().BindConfiguration(T.Section).ValidateOnStart();
    }

    /// <summary>A problem when <paramref name="value"/> (of <paramref name="key"/> in <typeparamref name="T"/>'s section) lies outside [min, max].</summary>
    public static string? Range<T, TValue>(string key, TValue value, TValue min, TValue max) where T : IPressOptions where TValue : IComparable<TValue>, IFormattable =>
        value.CompareTo(min) < 0 || value.CompareTo(max) > 0
            ? $"{T.Section}:{key} is {Text(value)}; it must be between {Text(min)} and {Text(max)}"
            : null;

    public static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private sealed class ProblemsValidator<T> : IValidateOptions<T> where T : class, IPressOptions
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems().OfType<string>().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
