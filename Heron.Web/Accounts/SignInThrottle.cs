using System.Collections.Concurrent;
using System.Globalization;
using Heron.Web.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Heron.Web.Accounts;

/// <summary>The <c>SignIn</c> configuration section.</summary>
public sealed class SignInOptions
{
    /// <summary>Failed sign-in (and second-factor) attempts one client address may make per minute.</summary>
    public int AttemptsPerMinute { get; set; } = 10;
}

/// <summary>
/// A per-client-address budget for sign-in attempts, checked before any password hash is computed, so
/// one client can neither burn the server's CPU nor walk through accounts. An attempt reserves a permit
/// up front and a successful sign-in gives it back: only failures spend the budget. Each instance counts its own.
/// </summary>
public sealed class SignInThrottle(IOptionsMonitor<SignInOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Budget> _budgets = new();
    private long _lastSweep;

    /// <summary>Reserves one attempt for this client; null when allowed, else how long until it may try again.</summary>
    public TimeSpan? TryReserve(HttpContext http)
    {
        var now = clock.GetUtcNow();
        Sweep(now);
        var budget = _budgets.GetOrAdd(Partition(http), static _ => new Budget());
        lock (budget)
        {
            if (now - budget.Start >= Window)
            {
                budget.Start = now;
                budget.Used = 0;
            }
            if (budget.Used >= Math.Max(1, options.CurrentValue.AttemptsPerMinute))
            {
                var wait = budget.Start + Window - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
            }
            budget.Used++;
            return null;
        }
    }

    /// <summary>Gives back the attempt a successful sign-in reserved.</summary>
    public void Refund(HttpContext http)
    {
        if (_budgets.TryGetValue(Partition(http), out var budget))
        {
            lock (budget)
            {
                budget.Used = Math.Max(0, budget.Used - 1);
            }
        }
    }

    /// <summary>"Try again in N seconds", rounded up so the client never comes back too early.</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static string Message(TimeSpan wait) =>
        $"Too many sign-in attempts from your network. Try again in {Seconds(wait)} seconds.";

    /// <summary>The sign-in form again, answered 429 with Retry-After and the reason in words; for every page that checks a secret.</summary>
    public IActionResult TooManyAttempts(PageModel page)
    {
        var wait = RetryAfter(page.HttpContext);
        page.Response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
        page.ModelState.AddModelError("", Message(wait));
        return new PageResult { StatusCode = StatusCodes.Status429TooManyRequests };
    }

    /// <summary>How long until this client may try again (zero when it may now).</summary>
    public TimeSpan RetryAfter(HttpContext http)
    {
        if (!_budgets.TryGetValue(Partition(http), out var budget))
        {
            return TimeSpan.Zero;
        }
        lock (budget)
        {
            var wait = budget.Start + Window - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }

    private static string Partition(HttpContext http) => ClientAddress.Of(http) ?? "unknown";

    /// <summary>Forgets clients whose window ended, at most once a window, so budgets for passing clients do not pile up.</summary>
    private void Sweep(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (now.UtcTicks - last < Window.Ticks || Interlocked.CompareExchange(ref _lastSweep, now.UtcTicks, last) != last)
        {
            return;
        }
        foreach (var (partition, budget) in _budgets)
        {
            if (now - budget.Start >= Window)
            {
                _budgets.TryRemove(partition, out _);
            }
        }
    }

    private sealed class Budget
    {
        public DateTimeOffset Start;
        public int Used;
    }
}

/// <summary>
/// Serializes sign-in attempts on one address within the instance, so a burst checks no more guesses than
/// the lockout allows. Striped over a fixed set of locks: memory stays bounded however many addresses are tried.
/// </summary>
public sealed class AccountSignInLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> AcquireAsync(string account, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(StringComparer.Ordinal.GetHashCode(account) & int.MaxValue) % _stripes.Length];
        await stripe.WaitAsync(cancellationToken);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                stripe.Release();
            }
        }
    }
}
