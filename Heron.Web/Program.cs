using Heron.Web.Accounts;
using Heron.Web.Api;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Cli;
using Heron.Web.Dashboard;
using Heron.Web.Data;
using Heron.Web.Demo;
using Heron.Web.Email;
using Heron.Web.Health;
using Heron.Web.Logging;
using Heron.Web.Metrics;
using Heron.Web.Organizations;
using Heron.Web.Production;
using Heron.Web.RateLimiting;
using Heron.Web.Retention;
using Heron.Web.Site;
using Heron.Web.TwoFactor;

// One binary, two modes: `dotnet Heron.Web.dll` serves the site and the API;
// `dotnet Heron.Web.dll VERB …` runs an operations verb and exits.
var cli = HeronCli.IsInvocation(args);
var builder = WebApplication.CreateBuilder(cli ? [] : args);

builder.AddHeronLogging(cli);
builder.AddSite();
builder.AddHeronData();
builder.AddAudit();
builder.AddAccounts();
builder.AddTwoFactor();
builder.AddEmail();
builder.AddOrganizations();
builder.AddProductionAccess();
builder.AddApiKeys();
builder.AddHeronRateLimiting();
builder.AddHeronApi();
builder.AddDashboard();
builder.AddHeronHealthChecks();
builder.AddHeronMetrics();
builder.AddRetention();

var app = builder.Build();

if (cli)
{
    return await HeronCli.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await app.Services.PrepareDatabaseAsync();

app.UseTrustedProxies();
app.UseBrowserHardening();
app.UseHeronExceptionHandler();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}
app.UseApiErrorEnvelope();
app.UseHeronRequestLogging();
app.UseStaticFiles();
app.UseApiKeys();
app.UseAuthentication();
app.UseRealmSessions();
app.UseAuthorization();
app.UseApiReference();

app.MapHeronApi();
app.MapHeronHealthChecks();
app.MapHeronMetrics();
app.MapDashboard();

await app.SeedDemoAsync();
await app.RunAsync();
return 0;

public partial class Program;
