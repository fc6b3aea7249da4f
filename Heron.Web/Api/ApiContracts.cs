namespace Heron.Web.Api;

// The response bodies of Heron's published contract. Properties serialize in snake_case.

public sealed record HelloWorld(string Hello);

/// <summary>Adds which credentials were used, so a caller can tell a development key from a production one.</summary>
public sealed record AuthenticatedHelloWorld(string Hello, string Organization, string Environment);

public sealed record ApiKeyWithLastUsed(DateTime Created, string HeronId, bool IsActive, DateTime? LastUsed, string Name, string TokenPrefix);

public sealed record ApiKeyList(IReadOnlyList<ApiKeyWithLastUsed> Keys);

public sealed record ApiKeyCreated(DateTime Created, string HeronId, bool IsActive, string Name, string Token, string TokenPrefix);

public sealed record ApiKeyStatus(string HeronId, bool IsActive);

public sealed record CreateApiKeyRequest(string Name);

public sealed record EnvironmentEntry(string Alias, string Environment, string Username);

public sealed record OrganizationEnvironments(string Name, string Slug, IReadOnlyList<EnvironmentEntry> Environments);

public sealed record EnvironmentsResponse(string DefaultEnvironment, IReadOnlyList<OrganizationEnvironments> Organizations);
