namespace Tenants.Edge.Policy;

/// <summary>A tenant's policy as it changes: sessions keep the handle and read <see cref="Current"/> for every statement.</summary>
public sealed class EdgePolicyHandle(EdgePolicy initial)
{
    private EdgePolicy _current = initial;

    /// <summary>A handle that never changes from <see cref="EdgePolicy.None"/>.</summary>
    public static EdgePolicyHandle None { get; } = new(EdgePolicy.None);

    public EdgePolicy Current => Volatile.Read(ref _current);

    /// <summary>Replaces the policy in force (the provider calls this when it sees a new version).</summary>
    public void Set(EdgePolicy policy) => Volatile.Write(ref _current, policy);
}
