using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Email;

namespace Heron.Web.Accounts;

/// <summary>How an account's own actions appear in the audit trail and in the emails that tell its owner.</summary>
public static class AccountActivity
{
    public static Actor ActorOf(HttpContext http, HeronUser user) =>
        new(ActorKind.User, user.Email ?? user.Id, ClientAddress.Of(http));

    public static MessageFacts FactsOf(HttpContext http, TimeProvider clock) =>
        new(clock.GetUtcNow().UtcDateTime, ClientAddress.Of(http), BrowserName.Of(http.Request.Headers.UserAgent.ToString()));
}
