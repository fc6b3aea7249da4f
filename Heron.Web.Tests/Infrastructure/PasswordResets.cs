using System.Net;

namespace Heron.Web.Tests.Infrastructure;

public static class PasswordResets
{
    /// <summary>
    /// "Forgot password?" for <paramref name="email"/>, then the emailed link followed to set
    /// <paramref name="newPassword"/>, as its owner would; asserts the reset was accepted.
    /// </summary>
    public static async Task ResetPasswordByEmailAsync(this DashboardClient client, MailingHeronFactory factory, string email, string newPassword)
    {
        await client.PostFormAsync("/account/forgot-password", "/account/forgot-password",
            new() { ["Input.Email"] = email, ["Input.Environment"] = "dev" });
        var mail = await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").StartsWith("Reset"));
        var link = mail.LinkStartingWith(MailingHeronFactory.BaseUrl + "/account/reset-password?");
        var path = link[MailingHeronFactory.BaseUrl.Length..];
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        var reset = await client.PostFormAsync(path, path, new()
        {
            ["user"] = query["user"]!,
            ["Token"] = query["token"]!,
            ["Input.Password"] = newPassword,
            ["Input.ConfirmPassword"] = newPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
    }
}
