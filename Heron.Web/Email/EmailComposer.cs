using System.Net;
using System.Text.Json;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MimeKit;
using Heron.Web.Site;

namespace Heron.Web.Email;

/// <summary>Facts a message reports: when, from which address, with which browser, any words of an operator's, and the API key it is about.</summary>
public sealed record MessageFacts(DateTime At, string? ClientIp, string? Browser, string? Detail = null, string? ApiKey = null);

/// <summary>
/// Turns an outbox entry into a message with HTML and plain-text bodies. Links are built from
/// <c>Heron:BaseUrl</c>; tokens for them are made here, at delivery, and exist nowhere else.
/// </summary>
public sealed class EmailComposer(UserManager<HeronUser> users, IOptions<HeronOptions> heron, IOptions<EmailOptions> email)
{
    public async Task<MimeMessage?> ComposeAsync(OutboxMessage entry, HeronUser user)
    {
        var realm = user.Realm;
        var account = $"Heron {RealmWord(realm.Kind)} account for {realm.Organization.Name} ({realm.Username})";
        var facts = entry.Facts is null ? null : JsonSerializer.Deserialize<MessageFacts>(entry.Facts);
        var environment = realm.Kind.Environment();
        var forgotUrl = Link($"/account/forgot-password?environment={environment}&email={Uri.EscapeDataString(user.Email!)}");

        (string Subject, string Intro, string? ActionText, string? ActionUrl, string Outro)? content = entry.Kind switch
        {
            EmailKind.Invitation => (
                $"You're invited to your {account}",
                $"You have been given a {account}. Set a password to sign in. The link works once and expires in {InvitationTokenProvider.Lifetime.TotalDays:0} days.",
                "Set your password",
                Link($"/account/accept-invitation?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(await InvitationTokenProvider.GenerateAsync(users, user))}"),
                "If you did not expect this invitation, you can ignore this email."),
            EmailKind.PasswordReset => (
                $"Reset the password of your {account}",
                $"Someone asked to reset the password of your {account}. The link works once and expires in an hour.",
                "Choose a new password",
                Link($"/account/reset-password?user={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(await users.GeneratePasswordResetTokenAsync(user))}"),
                "If it was not you, ignore this email: your password stays as it is."),
            EmailKind.PasswordChanged => (
                $"The password of your {account} was changed",
                $"The password of your {account} was changed{When(facts)}. Every other session of the account was signed out.",
                "It wasn't me: reset my password",
                forgotUrl,
                "If you made this change, there is nothing to do."),
            EmailKind.NewSignIn => (
                $"New sign-in to your Heron {RealmWord(realm.Kind)} account",
                $"Your {account} was signed in to from a browser it has not used before{When(facts)}.",
                "It wasn't me: reset my password",
                forgotUrl,
                "If this was you, there is nothing to do."),
            EmailKind.Lockout => (
                $"Your Heron {RealmWord(realm.Kind)} account was locked",
                $"Your {account} was locked after repeated failed sign-ins{When(facts)}. It unlocks by itself in 15 minutes.",
                "Reset my password",
                forgotUrl,
                "If these attempts were not yours, someone may be guessing your password; resetting it is a good idea."),
            EmailKind.TwoFactorEnabled => (
                $"Two-factor sign-in is on for your {account}",
                $"Two-factor sign-in was turned on for your {account}{When(facts)}. Signing in now takes your password and a code from your authenticator app. Every other session of the account was signed out.",
                "It wasn't me: reset my password",
                forgotUrl,
                "Keep your recovery codes somewhere safe: each signs in once if you lose your authenticator."),
            EmailKind.TwoFactorDisabled => (
                $"Two-factor sign-in is off for your {account}",
                $"Two-factor sign-in was turned off for your {account}{When(facts)}. Signing in now takes only your password, and the old recovery codes no longer work.",
                "It wasn't me: reset my password",
                forgotUrl,
                "If you made this change, there is nothing to do."),
            EmailKind.RecoveryCodesRegenerated => (
                $"New recovery codes for your {account}",
                $"New recovery codes were made for your {account}{When(facts)}. The previous ones no longer work.",
                "It wasn't me: reset my password",
                forgotUrl,
                "If you made this change, there is nothing to do."),
            EmailKind.RecoveryCodeUsed => (
                $"A recovery code was used to sign in to your {account}",
                $"Your {account} was signed in to with a recovery code{When(facts)}. {facts?.Detail}",
                "It wasn't me: reset my password",
                forgotUrl,
                "If you lost your authenticator, sign in and set it up again under Settings → Two-factor."),
            EmailKind.ApiKeyExpiring => (
                $"An API key of your {account} expires {Until(facts!.At, entry.CreatedAt)}",
                $"The {RealmWord(realm.Kind)} API key {facts.Detail} of {realm.Organization.Name} stops working on {facts.At:yyyy-MM-dd HH:mm} UTC. Requests made with it after that are refused with 401.",
                "See the key and roll it",
                Link($"/{environment}/settings/api-key/{Uri.EscapeDataString(facts.ApiKey ?? "")}"),
                "Roll it before then to get a new token with the same name, access and allowed addresses; the key's usage chart shows when nothing uses the old one any more."),
            EmailKind.ProductionRejected => (
                $"Your request for Heron production credentials for {realm.Organization.Name}",
                $"Heron's team could not approve your request for production credentials for {realm.Organization.Name} yet. Their reason: {facts?.Detail ?? "not given"}",
                "See the request in your dashboard",
                Link($"/{environment}/settings/production"),
                "You can send a new request from the dashboard once the reason is addressed."),
            _ => null,
        };
        if (content is not { } c)
        {
            return null;
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(email.Value.From));
        message.To.Add(MailboxAddress.Parse(entry.ToAddress));
        message.Subject = c.Subject;
        message.MessageId = $"outbox-{entry.Id}.{entry.CreatedAt.Ticks}@heron";
        var body = new BodyBuilder
        {
            TextBody = $"{c.Intro}\n\n{(c.ActionUrl is null ? "" : $"{c.ActionText}: {c.ActionUrl}\n\n")}{c.Outro}\n\n— Heron\n",
            HtmlBody = $"""
                <div style="font-family: system-ui, sans-serif; max-width: 560px">
                  <p style="font-weight: 700; font-size: 18px">Heron</p>
                  <p>{Html(c.Intro)}</p>
                  {(c.ActionUrl is null ? "" : $"""<p><a href="{Html(c.ActionUrl)}" style="background:#1f6feb;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">{Html(c.ActionText!)}</a></p>""")}
                  <p style="color:#5b6475">{Html(c.Outro)}</p>
                </div>
                """,
        };
        message.Body = body.ToMessageBody();
        return message;
    }

    public static string RealmWord(RealmKind kind) => kind switch
    {
        RealmKind.Production => "production",
        RealmKind.Internal => "operator",
        _ => "development",
    };

    private string Link(string pathAndQuery) => heron.Value.Url(pathAndQuery);

    private static string When(MessageFacts? facts) => facts is null
        ? ""
        : $" on {facts.At:yyyy-MM-dd HH:mm} UTC{(facts.ClientIp is null ? "" : $" from {facts.ClientIp}")}{(facts.Browser is null ? "" : $" using {facts.Browser}")}";

    /// <summary>"in 7 days", "in 1 day", "within a day", as seen when the reminder was written.</summary>
    private static string Until(DateTime at, DateTime written) => (at - written).TotalDays switch
    {
        >= 1.5 => $"in {Math.Round((at - written).TotalDays):0} days",
        >= 0.75 => "in 1 day",
        _ => "within a day",
    };

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
