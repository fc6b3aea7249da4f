using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Heron.Web.Site;

namespace Heron.Web.Pages;

public sealed class IndexModel(IOptions<HeronOptions> options) : PageModel
{
    public string BaseUrl => options.Value.Url();
}
