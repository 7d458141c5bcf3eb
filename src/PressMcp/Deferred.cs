namespace PressMcp;

/// <summary>
/// A service a request needs on some paths only, for constructor injection: the pooled <see cref="Storage.PressDbContext"/>
/// when everything a call reads is cached (a trivial MCP call makes no query), the content authoring tool on a call of
/// another tool, the framework's authorization service on an MCP call. <see cref="Value"/> resolves it from the request's
/// own scope on first use, so it is that scope's one instance as before (one context per request); unused, it is never
/// created, and a pooled context is never leased and reset. Registered transient (open generic), so the scope keeps no
/// entry for the wrapper. Not <c>Lazy&lt;T&gt;</c>: that needs a delegate per instance, and one bound to the generic
/// <c>GetRequiredService&lt;T&gt;</c> is built through reflection (measured: a method object and strings per call).
/// </summary>
internal sealed class Deferred<T>(IServiceProvider services) where T : class
{
    private T? _value;

    /// <summary>The service, resolved from the request's scope the first time it is asked for (a request asks from one flow at a time).</summary>
    public T Value => _value ??= services.GetRequiredService<T>();
}
