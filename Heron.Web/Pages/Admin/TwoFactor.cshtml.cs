using Heron.Web.Pages.Shared;
using Heron.Web.TwoFactor;

namespace Heron.Web.Pages.Admin;

/// <summary>An operator's own two-factor settings (<c>/admin/two-factor</c>); operators cannot turn it off.</summary>
public sealed class AdminTwoFactorModel(TwoFactorService twoFactor) : TwoFactorSettingsModel(twoFactor);
