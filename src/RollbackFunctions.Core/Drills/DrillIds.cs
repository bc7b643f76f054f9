using System.Security.Cryptography;

namespace RollbackFunctions.Drills;

/// <summary>Drill ids: orchestration instance ids and Table keys like rollback ids, readable as a drill's.</summary>
public static class DrillIds
{
    public static string New(string component, DateTimeOffset requestedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{component}-drill-{requestedAt.UtcDateTime:yyyyMMddHHmmss}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant()}");

    public static string StatusUri(string drillId) => "/api/drills/" + Uri.EscapeDataString(drillId);
}
