namespace Heron.Web.Production;

public enum ProductionRequestStatus
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
}

/// <summary>A customer's request for production credentials, decided by a Heron operator.</summary>
public sealed class ProductionAccessRequest
{
    public const int NoteMaxLength = 1000;

    public int Id { get; set; }
    public int OrganizationId { get; set; }
    public Organizations.Organization Organization { get; set; } = null!;
    public required string RequestedByUserId { get; set; }
    public required string RequestedByEmail { get; set; }
    public string? Note { get; set; }
    public DateTime RequestedAt { get; set; }
    public ProductionRequestStatus Status { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
    public string? RejectionReason { get; set; }
}
