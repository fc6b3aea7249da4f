using Heron.Web.ApiKeys;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// The middleware serializes the 401 bodies of the reasons it lists as naming no key once, at start-up:
/// a reason on that list whose description named the key would answer every caller with the same prefix.
/// </summary>
public sealed class SerializedRejectionBodyTests
{
    [Fact]
    public void Exactly_the_reasons_whose_description_names_no_key_are_serialized_once()
    {
        var namingNoKey = Enum.GetValues<RejectionReason>()
            .Where(reason => !new ApiKeyRejection(reason, "key_1234").Description.Contains("key_1234", StringComparison.Ordinal));

        Assert.Equal(namingNoKey.Order(), ApiKeyMiddleware.ReasonsNamingNoKey.Order());
    }
}
