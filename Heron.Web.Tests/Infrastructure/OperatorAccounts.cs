namespace Heron.Web.Tests.Infrastructure;

public static class OperatorAccounts
{
    /// <summary>Signs in to the operators' console (the operator comes from <see cref="HeronAppFactory.CreateOperatorAsync"/>).</summary>
    public static Task<HttpResponseMessage> SignInAsOperatorAsync(this DashboardClient client, string email, string password) =>
        client.PostFormAsync("/admin/login", "/admin/login", new() { ["Email"] = email, ["Password"] = password });
}
