namespace Heron.Web.Api;

// The response bodies of Heron's published contract. Properties serialize in snake_case.

public sealed record HelloWorld(string Hello);

/// <summary>Adds which credentials were used, so a caller can tell a development key from a production one.</summary>
public sealed record AuthenticatedHelloWorld(string Hello, string Organization, string Environment);

public sealed record ApiKeyWithLastUsed(DateTime Created, string HeronId, bool IsActive, DateTime? LastUsed, string Name, string TokenPrefix,
    DateTime? ExpiresAt, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedIps);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyWithLastUsed> Keys);

public sealed record ApiKeyCreated(DateTime Created, string HeronId, bool IsActive, string Name, string Token, string TokenPrefix,
    DateTime? ExpiresAt, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedIps);

public sealed record ApiKeyStatus(string HeronId, bool IsActive);

/// <param name="ExpiresAt">RFC 3339, in the future; absent or null: never. Where Heron's team set a maximum key lifetime (production realms), absent means the longest allowed, and null or a later date is refused with 400.</param>
/// <param name="Scopes">A non-empty subset of credentials:read, credentials:write; absent: all.</param>
/// <param name="AllowedIps">IPv4/IPv6 addresses or CIDR ranges (at most 50); absent or empty: anywhere.</param>
public sealed record CreateApiKeyRequest(string Name, DateTime? ExpiresAt = null, IReadOnlyList<string>? Scopes = null, IReadOnlyList<string>? AllowedIps = null);

/// <param name="GracePeriodSeconds">0..604800 (7 days): how long the old key keeps working; default 0.</param>
public sealed record RollApiKeyRequest(int GracePeriodSeconds = 0);

public sealed record EnvironmentEntry(string Alias, string Environment, string Username);

public sealed record OrganizationEnvironments(string Name, string Slug, IReadOnlyList<EnvironmentEntry> Environments);

public sealed record EnvironmentsResponse(string DefaultEnvironment, IReadOnlyList<OrganizationEnvironments> Organizations);

public sealed record ApiKeyUsageBucketEntry(DateTime Start, long Accepted, long Rejected);

public sealed record ApiKeyUsage(string HeronId, string Interval, IReadOnlyList<ApiKeyUsageBucketEntry> Buckets);
