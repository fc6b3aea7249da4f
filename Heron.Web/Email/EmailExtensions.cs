using Microsoft.Extensions.Options;

namespace Heron.Web.Email;

public static class EmailExtensions
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<EmailOptions>(builder.Configuration.GetSection("Email"));
        services.AddSingleton<OutboxSignal>();
        services.AddScoped<EmailOutbox>();
        services.AddScoped<EmailComposer>();
        services.AddSingleton<IMailTransport>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmailOptions>>().Value;
            if (!string.IsNullOrWhiteSpace(options.Smtp.Host))
            {
                return new SmtpMailTransport(sp.GetRequiredService<IOptions<EmailOptions>>());
            }
            // Files hold live reset and invitation links: only in Development, or when asked for by name.
            var environment = sp.GetRequiredService<IHostEnvironment>();
            if (!environment.IsDevelopment() && builder.Configuration["Email:PickupDirectory"] is null)
            {
                throw new InvalidOperationException(
                    "Email:Smtp:Host is not configured. Outside Development Heron sends mail over SMTP; set Email:Smtp:Host " +
                    "(or set Email:PickupDirectory to write .eml files on purpose).");
            }
            var directory = Path.GetFullPath(options.PickupDirectory, environment.ContentRootPath);
            sp.GetRequiredService<ILogger<PickupDirectoryTransport>>().LogWarning(
                "No SMTP host configured (Email:Smtp:Host): emails are written as .eml files to {PickupDirectory}", directory);
            return new PickupDirectoryTransport(directory);
        });
        services.AddHostedService<OutboxSender>();
        return builder;
    }
}
