using Heron.Web.Organizations;

namespace Heron.Web.Tests.Organizations;

public sealed class SlugifyTests
{
    [Theory]
    [InlineData("Acme Inc", "acme-inc")]
    [InlineData("ACME", "acme")]
    [InlineData("Café Ünïcode", "cafe-unicode")]
    [InlineData("Crème Brûlée Ltd", "creme-brulee-ltd")]
    [InlineData("Łódź Ærø Straße", "lodz-aero-strasse")]
    [InlineData("Cafe\u0301 decomposed", "cafe-decomposed")]
    [InlineData("Acme, Inc. & Co.!!", "acme-inc-co")]
    [InlineData("  --Acme__Labs--  ", "acme-labs")]
    [InlineData("R2-D2 Robotics", "r2-d2-robotics")]
    [InlineData("日本 Acme", "acme")]
    public void A_name_becomes_lower_case_letters_digits_and_single_hyphens(string name, string slug)
    {
        Assert.Equal(slug, OrganizationSlug.From(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("日本")]
    public void A_name_with_nothing_to_keep_becomes_org(string name)
    {
        Assert.Equal("org", OrganizationSlug.From(name));
    }

    [Theory]
    [InlineData("Acme Dev", "acme-dev-org")]
    [InlineData("Acme Internal", "acme-internal-org")]
    [InlineData("Acme-DEV", "acme-dev-org")]
    [InlineData("Acme Devices", "acme-devices")]
    [InlineData("Acmedev", "acmedev")]
    public void A_slug_never_ends_like_a_realm_username(string name, string slug)
    {
        Assert.Equal(slug, OrganizationSlug.From(name));
    }

    [Fact]
    public void A_long_name_is_cut_to_48_characters_without_a_trailing_hyphen()
    {
        var slug = OrganizationSlug.From(new string('a', 47) + " bcdef ghij");

        Assert.Equal(new string('a', 47), slug);
        Assert.Equal(48, OrganizationSlug.From(new string('x', 100)).Length);
    }
}
