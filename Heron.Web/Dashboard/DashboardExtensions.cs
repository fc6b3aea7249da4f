using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Dashboard;

public static class DashboardExtensions
{
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HeronOptions>(builder.Configuration.GetSection("Heron"));
        builder.Services.AddRazorPages();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }

    /// <summary>On an empty database, tells a newcomer how to get credentials in the console.</summary>
    public static async Task LogFirstRunHintsAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        if (await db.Organizations.AnyAsync())
        {
            return;
        }
        app.Logger.LogInformation(
            """
            No organizations yet. To get an API key, in another terminal run:
                dotnet run --project Heron.Web -- onboard --organization Demo --email you@example.com
                dotnet run --project Heron.Web -- issue-key --organization demo --environment development --name "My laptop"
            then: curl {BaseUrl}/api/hello_world/authenticated --header 'x-api-key: <the printed key>'
            """, app.Configuration["Heron:BaseUrl"] ?? "http://localhost:5106");
    }
}
