using Xunit.Abstractions;

namespace Heron.E2E.Infrastructure;

/// <summary>The journeys that move the app's clock: an app of their own (<see cref="ClockAppFixture"/>), one browser; one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClockE2ECollection : ICollectionFixture<ClockAppFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "E2E with a shiftable clock";
}

/// <summary>A browser test against the app whose clock it can move forward (<see cref="ClockAppFixture.Clock"/>).</summary>
[Collection(ClockE2ECollection.Name)]
public abstract class ClockBrowserTest(ClockAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : BrowserTestBase<ClockAppFixture>(app, browser, output)
{
    protected ShiftableClock Clock => App.Clock;

    protected HeronApi Api => App.Api;
}
