using System.Globalization;
using System.Net;
using System.Text;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Html;

namespace Heron.Web.Dashboard;

/// <summary>
/// Usage charts drawn on the server as SVG: no script needed. Accepted requests are solid bars, rejected
/// ones hatched and stacked on top, and the legend says so in words, so the chart reads without colour.
/// The same numbers are always in a table beside it for screen readers.
/// </summary>
public static class UsageChart
{
    private const int Height = 120;

    public static IHtmlContent Bars(IReadOnlyList<UsageBucket> buckets, string title, string id)
    {
        var width = buckets.Count * 6;
        var max = Math.Max(1, buckets.Max(b => b.Accepted + b.Rejected));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg id="{id}" class="usage-chart" viewBox="0 0 {width} {Height + 2}" width="100%" height="{Height + 2}" role="img" aria-labelledby="{id}-title" preserveAspectRatio="none">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="{id}-title">{WebUtility.HtmlEncode(title)}: {buckets.Sum(b => b.Accepted)} accepted, {buckets.Sum(b => b.Rejected)} rejected</title>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<defs><pattern id="{id}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="4" class="rejected-hatch"/></pattern></defs>""");
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var accepted = Scale(b.Accepted, max);
            var rejected = Scale(b.Rejected, max);
            var x = i * 6;
            if (accepted > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<rect class="accepted" x="{x}" y="{Height - accepted}" width="5" height="{accepted}"><title>{b.Start:u}: {b.Accepted} accepted</title></rect>""");
            }
            if (rejected > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<rect class="rejected" fill="url(#{id}-hatch)" stroke="currentColor" stroke-width="0.5" x="{x}" y="{Height - accepted - rejected}" width="5" height="{rejected}"><title>{b.Start:u}: {b.Rejected} rejected</title></rect>""");
            }
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="0" y1="{Height}" x2="{width}" y2="{Height}" stroke="currentColor" stroke-width="0.5"/>""");
        // The scale is HTML below the chart: text inside an SVG stretched to the page's width would be stretched too.
        svg.Append(CultureInfo.InvariantCulture, $"""</svg><p class="chart-scale muted">Tallest bar: {max} request{(max == 1 ? "" : "s")}.</p>""");
        return new HtmlString(svg.ToString());
    }

    /// <summary>A 24-hour sparkline for the keys list: requests per hour, with a text equivalent.</summary>
    public static IHtmlContent Sparkline(long[] hours)
    {
        var max = Math.Max(1, hours.Max());
        var total = hours.Sum();
        var points = string.Join(' ', hours.Select((h, i) => string.Create(CultureInfo.InvariantCulture, $"{i * 4},{20 - h * 18 / max}")));
        return new HtmlString($"""<svg class="sparkline" viewBox="0 0 92 21" width="92" height="21" role="img" aria-label="{total} requests in the last 24 hours"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/></svg>""");
    }

    private static int Scale(long value, long max) => value == 0 ? 0 : (int)Math.Max(1, value * Height / max);
}
