namespace Tenants.Portal.Tests;

/// <summary>Every portal test shares one platform and one browser: starting them is most of a test's time.</summary>
[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
