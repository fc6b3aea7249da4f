namespace Heron.Web.Dashboard;

public static class DashboardExtensions
{
    /// <summary>The Razor Pages of the customer dashboard, the account pages and the operators' console.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
            options.Conventions.AddFolderRouteModelConvention(EnvironmentRoutes.Folder, EnvironmentRoutes.Apply));
        builder.Services.AddScoped<EnvironmentSwitcher>();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}
