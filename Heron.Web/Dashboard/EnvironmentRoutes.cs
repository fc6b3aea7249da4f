using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Heron.Web.Dashboard;

/// <summary>
/// The customer dashboard's pages live in <c>Pages/Environments</c> and answer under the realm they act in:
/// <c>Pages/Environments/Settings/ApiCredentials.cshtml</c> is <c>/{environment}/settings/api-credentials</c>,
/// for <c>dev</c> or <c>prod</c>. The prefix is declared here once; the pages say only <c>@page</c>.
/// </summary>
public static partial class EnvironmentRoutes
{
    public const string Folder = "/Environments";
    public const string Prefix = "{environment:regex(^(dev|prod)$)}";

    public static void Apply(PageRouteModel model)
    {
        var template = RouteOf(model.ViewEnginePath);
        var own = model.ViewEnginePath.TrimStart('/');
        foreach (var selector in model.Selectors)
        {
            // A page's own parameters (@page "{heronId}") follow the path it gets from its folder.
            var original = selector.AttributeRouteModel!.Template ?? "";
            var parameters = original.StartsWith(own + "/", StringComparison.Ordinal) ? original[own.Length..] : "";
            selector.AttributeRouteModel.Template = template + parameters;
        }
        // An Index page has two selectors ("…/Index" and "…"): both now say the same, and two would make the URL ambiguous.
        for (var i = model.Selectors.Count - 1; i > 0; i--)
        {
            model.Selectors.RemoveAt(i);
        }
    }

    /// <summary><c>/Environments/Settings/AuditLog</c> → <c>{environment}/settings/audit-log</c>; <c>/Environments/Index</c> → <c>{environment}</c>.</summary>
    public static string RouteOf(string viewEnginePath)
    {
        var segments = viewEnginePath[Folder.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != "Index")
            .Select(s => WordStart().Replace(s, "-$1").ToLowerInvariant());
        return string.Join('/', segments.Prepend(Prefix));
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
