using Heron.Web.ApiKeys;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// The middleware serializes the 401 bodies of the reasons it lists as naming no key once, at start-up:
/// a reason on that list whose description named the key (or its expiry, a scope or the caller) would
/// answer every caller with the same text.
/// </summary>
public sealed class SerializedRejectionBodyTests
{
    [Fact]
    public void Exactly_the_401_reasons_whose_description_is_the_same_for_every_key_and_caller_are_serialized_once()
    {
        var alike = Enum.GetValues<RejectionReason>().Where(reason =>
        {
            var one = new ApiKeyRejection(reason, "key_1234") { ExpiredAt = DateTime.UnixEpoch, Scope = "credentials:read", ClientIp = "192.0.2.1" };
            var other = new ApiKeyRejection(reason, "key_abcd") { ExpiredAt = DateTime.UnixEpoch.AddDays(1), Scope = "credentials:write", ClientIp = "198.51.100.7" };
            return one.Status == 401 && one.Description == other.Description;
        });

        Assert.Equal(alike.Order(), ApiKeyMiddleware.ReasonsNamingNoKey.Order());
    }
}
