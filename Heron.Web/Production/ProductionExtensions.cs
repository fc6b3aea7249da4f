namespace Heron.Web.Production;

public static class ProductionExtensions
{
    public static IHostApplicationBuilder AddProductionAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ProductionAccessService>();
        return builder;
    }
}
