using System.Text.Json;
using Heron.Web.Accounts;
using Heron.Web.Data;

namespace Heron.Web.Email;

/// <summary>Writes messages to the outbox in the caller's unit of work; they are sent once it commits.</summary>
public sealed class EmailOutbox(HeronDbContext db, OutboxSignal signal, TimeProvider clock)
{
    /// <summary>Adds the message; it is saved with the caller's next <c>SaveChanges</c>.</summary>
    public void Add(EmailKind kind, HeronUser user, MessageFacts? facts = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        db.OutboxMessages.Add(new OutboxMessage
        {
            Kind = kind,
            UserId = user.Id,
            ToAddress = user.Email!,
            Facts = facts is null ? null : JsonSerializer.Serialize(facts),
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }

    /// <summary>Adds the message and saves it now.</summary>
    public async Task SendAsync(EmailKind kind, HeronUser user, MessageFacts? facts, CancellationToken cancellationToken)
    {
        Add(kind, user, facts);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
    }

    /// <summary>Call after committing messages added with <see cref="Add"/>.</summary>
    public void Notify() => signal.Notify();
}
