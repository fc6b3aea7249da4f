using System.Text.RegularExpressions;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Dashboard;

/// <summary>
/// Every field on the sign-in and password forms has a label tied to it (issue 11, "Accessibility"): a
/// <c>label for</c> that names an id the page has. Hand-set ids once left the labels pointing nowhere.
/// The browser tests check every page with axe-core; this catches the same mistake without a browser.
/// </summary>
public sealed partial class FormLabelTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-labelled-password";

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/forgot-password")]
    [InlineData("/admin/login")]
    public async Task Every_field_of_a_sign_in_form_has_a_label_that_points_at_it(string path)
    {
        var page = await factory.Dashboard().Http.GetStringAsync(path);

        AssertEveryFieldLabelled(page, path);
    }

    [Fact]
    public async Task Every_field_of_the_change_password_form_has_a_label_that_points_at_it()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var page = await dashboard.Http.GetStringAsync("/dev/settings/password");

        Assert.Contains("<label for=\"CurrentPassword\">Current password</label>", page);
        AssertEveryFieldLabelled(page, "/dev/settings/password");
    }

    private static void AssertEveryFieldLabelled(string page, string path)
    {
        var ids = IdAttribute().Matches(page).Select(m => m.Groups[1].Value).ToHashSet();
        var labelled = LabelFor().Matches(page).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(labelled);
        foreach (var target in labelled)
        {
            Assert.True(ids.Contains(target), $"On {path} a label points at id \"{target}\", which nothing has.");
        }
        foreach (Match field in Field().Matches(page))
        {
            var tag = field.Value;
            if (tag.Contains("type=\"hidden\"") || tag.Contains("type=\"radio\""))
            {
                // Hidden fields are not controls; each radio sits inside its own <label>.
                continue;
            }
            var id = IdAttribute().Match(tag).Groups[1].Value;
            Assert.True(labelled.Contains(id), $"On {path} this field has no label pointing at it: {tag}");
        }
    }

    [GeneratedRegex("<label[^>]*\\sfor=\"([^\"]+)\"")]
    private static partial Regex LabelFor();

    [GeneratedRegex("\\sid=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("<(?:input|select|textarea)\\b[^>]*>")]
    private static partial Regex Field();
}
