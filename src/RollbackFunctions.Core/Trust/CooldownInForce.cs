namespace RollbackFunctions.Trust;

/// <summary>A cooldown after a successful rollback (API.md "Trust rules"): until <paramref name="Until"/>, while the restored version stays current, triggers start nothing.</summary>
public sealed record CooldownInForce(string RollbackId, DateTimeOffset Until, string Reason);
