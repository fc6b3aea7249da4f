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
            var directory = Path.GetFullPath(options.PickupDirectory, sp.GetRequiredService<IHostEnvironment>().ContentRootPath);
            sp.GetRequiredService<ILogger<PickupDirectoryTransport>>().LogInformation(
                "No SMTP host configured (Email:Smtp:Host): emails are written as .eml files to {PickupDirectory}", directory);
            return new PickupDirectoryTransport(directory);
        });
        services.AddHostedService<OutboxSender>();
        return builder;
    }
}
