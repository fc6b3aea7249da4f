using Heron.Web.Pages.Shared;
using Heron.Web.TwoFactor;

namespace Heron.Web.Pages.Environments.Settings;

/// <summary>Settings → Two-factor of a dashboard account (<c>/{environment}/settings/two-factor</c>).</summary>
public sealed class TwoFactorModel(TwoFactorService twoFactor) : TwoFactorSettingsModel(twoFactor);
