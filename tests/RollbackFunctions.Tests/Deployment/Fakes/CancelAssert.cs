using RollbackFunctions.Deployment;

namespace RollbackFunctions.Tests.Deployment.Fakes;

/// <summary>What every CI/CD provider must say when a cancel fails transiently, one way per exception.</summary>
public static class CancelAssert
{
    /// <param name="failing">The cancel whose every attempt was answered <paramref name="status"/>.</param>
    /// <param name="hanging">The cancel whose server never answered; it returned at <paramref name="returnedAt"/>.</param>
    /// <param name="refused">The cancel sent to a closed port.</param>
    /// <param name="seen">Everything that must not carry <paramref name="secret"/> (log lines).</param>
    public static void Transient(
        DeploymentProviderException failing,
        int status,
        DeploymentProviderException hanging,
        DateTimeOffset returnedAt,
        DateTimeOffset deadline,
        DeploymentProviderException refused,
        string secret,
        string seen)
    {
        Assert.Equal((status, true), (failing.StatusCode, failing.IsTransient));
        Assert.True(hanging.IsTransient);
        Assert.Null(hanging.StatusCode);
        Assert.True(returnedAt < deadline + TimeSpan.FromMilliseconds(500), "the cancel outlived its deadline");
        Assert.True(refused.IsTransient);
        Assert.Contains("connection refused", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failing.Message + hanging.Message + refused.Message + seen, StringComparison.Ordinal);
    }
}
