namespace Heron.E2E.Infrastructure;

/// <summary>The tests share one running app and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<AppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "E2E";
}
