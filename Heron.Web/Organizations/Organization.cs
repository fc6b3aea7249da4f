namespace Heron.Web.Organizations;

/// <summary>A Heron customer (or Heron itself, for the operators' internal realm).</summary>
public sealed class Organization
{
    public int Id { get; set; }
    public required string HeronId { get; set; }
    public required string Name { get; set; }
    /// <summary>URL- and username-safe handle, unique, e.g. <c>acme</c>.</summary>
    public required string Slug { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<Realm> Realms { get; set; } = [];
}
