namespace Heron.Web.Common;

/// <summary>A request Heron refuses for a reason the person asking can act on; the message says which.</summary>
public sealed class HeronRuleException(string message) : Exception(message);
