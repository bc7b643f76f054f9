using System.Net;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.Intake;

public sealed class DependencyFailureTests
{
    [Fact]
    public async Task Table_Storage_down_answers_503_problem_details_with_retry_after_and_starts_nothing()
    {
        var closed = Azurite.FreePort();
        await using var host = await IntakeTestHost.StartAsync(settings =>
            settings["RollbackStorage"] = Azurite.BuildConnectionString(closed, closed, closed));

        var release = await host.PostAsync("api/releases", new { component = "shop", version = "2.0.0", artifact = IntakeTestHost.Digest('d'), status = "Deployed" });
        var alert = await host.PostAsync("api/alerts", Payloads.Alert(Payloads.AlertId("storage-down")));

        foreach (var response in new[] { release, alert })
        {
            var problem = await IntakeTestHost.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("Table Storage is unavailable", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Equal("5", response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(0, await host.InstanceCountAsync());
    }
}
