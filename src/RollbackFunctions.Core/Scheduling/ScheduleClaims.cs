using Azure;
using Azure.Data.Tables;

namespace RollbackFunctions.Scheduling;

/// <summary>One row per schedule occurrence, inserted by the one host instance that is to run it (insert-if-absent).</summary>
public sealed class ScheduleClaims(RollbackTables tables)
{
    public async Task<bool> TryClaimAsync(string schedule, DateTimeOffset occurrence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await tables.SchedulesAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(schedule, occurrence.UtcTicks.ToString("D19", CultureInfo.InvariantCulture))
            {
                ["Occurrence"] = occurrence,
                ["ClaimedAt"] = now,
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }
}
