using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RollbackFunctions.Simulators;
using RollbackFunctions.Tests.Infrastructure;

namespace RollbackFunctions.Tests.DevHost;

/// <summary>
/// Issue 8: the operator page on the dev host (a separate process on the persistent engine), opened in Debian's
/// Chromium through Playwright while a rollback runs and after it ends. Screenshots land in TestResults/ at the
/// repository root.
/// </summary>
[Collection(nameof(DevHostProcessTests))]
public sealed class OperatorPageBrowserTests
{
    private const string Agent = "shop-agent";
    private const float Wait = 30_000;

    [ChromiumFact]
    public async Task Operator_page_shows_a_running_rollback_against_its_budget_refreshes_by_itself_and_shows_the_outcome()
    {
        Assert.True(Chromium.IsInstalled, Chromium.MissingMessage);

        await using var world = await DevHostWorld.CreateAsync();

        // Long enough to be seen running: 6 polls answer Running, 2 s apart.
        world.Deployments.DefaultScript = DeploymentScript.SucceedAfter(6, TimeSpan.FromMilliseconds(300));
        world.Deployments.ScriptFor(Agent, DeploymentScript.Fail("agent pods crash-looping"));
        var environment = world.Environment(requireConfirmation: false, DevHostWorld.SlowPollInterval);
        AddAgent(environment, world);
        AddStorefrontDrillEnvironment(environment, world);
        await using var host = await DevHostProcess.StartAsync(world.Port, environment);
        await DevHostWorld.RecordReleasesAsync(host);
        await RecordAgentReleasesAsync(host);

        // An earlier rollback that failed, so one component is frozen (with its reason) when the page opens.
        var failedId = await StartPipelineRollbackAsync(host);
        await host.WaitForPhaseAsync(failedId, "Failed", TimeSpan.FromSeconds(60));
        var agent = await host.GetJsonAsync($"/api/components/{Agent}");
        Assert.True(agent.GetProperty("frozen").GetBoolean(), agent.ToString());
        var freezeReason = agent.GetProperty("freeze").GetProperty("reason").GetString()!;

        // The storefront's rollback, observed while its deployment runs.
        var rollbackId = await DevHostWorld.FireAlertAsync(host);
        await WaitUntilAsync(() => world.Deployments.Deployments.Any(d => d.Component == DevHostWorld.Component), TimeSpan.FromSeconds(60), "the deployment API never saw the storefront's deployment");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await OpenAsync(browser, world, DevHostProcess.ApiKey, problems);
        await page.EvaluateAsync("() => { window.loadedOnce = 'yes'; }");

        // Counted from here: on load the page takes the key out of the address bar with history.replaceState, a
        // same-document navigation Playwright reports as well. Nothing after it may navigate: the page refreshes itself.
        await page.WaitForFunctionAsync("() => !location.search.includes('code=')");
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Interlocked.Increment(ref navigations);
            }
        };

        // While running: the components with their versions and state, the rollback in the list, the detail panel.
        var storefront = page.Locator($"#components tr[data-component='{DevHostWorld.Component}']");
        await Assertions.Expect(storefront.Locator("[data-field=current]")).ToHaveTextAsync(DevHostWorld.BadVersion, new() { Timeout = Wait });
        await Assertions.Expect(storefront.Locator("[data-field=lastKnownGood]")).ToHaveTextAsync(DevHostWorld.GoodVersion);
        await Assertions.Expect(storefront.Locator("[data-field=state]")).ToContainTextAsync("Rolling back");
        var agentState = page.Locator($"#components tr[data-component='{Agent}'] [data-field=state]");
        await Assertions.Expect(agentState).ToContainTextAsync("Frozen");
        await Assertions.Expect(agentState).ToContainTextAsync(freezeReason);

        var row = page.Locator($"#rollbacks tr[data-rollback='{rollbackId}']");
        await Assertions.Expect(row.Locator("[data-field=phase]")).ToHaveTextAsync("Deploying", new() { Timeout = Wait });
        await Assertions.Expect(page.Locator($"#rollbacks tr[data-rollback='{failedId}'] [data-field=phase]")).ToHaveTextAsync("Failed");
        Assert.Equal(2, await page.Locator("#rollbacks tr.rollback").CountAsync());
        Assert.Equal(rollbackId, await page.Locator("#rollbacks tr.rollback").First.GetAttributeAsync("data-rollback"));

        var detail = page.Locator("#detail");
        await Assertions.Expect(detail).ToHaveAttributeAsync("data-rollback", rollbackId);
        await Assertions.Expect(page.Locator("#detail-phase")).ToHaveTextAsync("Deploying");
        await Assertions.Expect(page.Locator("#trigger-reason")).ToHaveTextAsync("Health Degraded");
        await Assertions.Expect(page.Locator("#trigger-facts [data-fact=Source]")).ToHaveTextAsync("Azure Monitor Alert");
        await Assertions.Expect(page.Locator("#target-version [data-fact=Target]")).ToHaveTextAsync(DevHostWorld.GoodVersion);
        await Assertions.Expect(page.Locator("#outcome [data-fact=Outcome]")).ToHaveTextAsync("Still running");
        await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync($"Rolling back {DevHostWorld.Component} to {DevHostWorld.GoodVersion}");
        foreach (var phase in new[] { "Received", "Validated", "Deploying" })
        {
            Assert.True(await page.Locator($"#timeline rect.phase-band[data-row=budget][data-phase={phase}]").CountAsync() == 1, $"no {phase} bar on the budget row");
            Assert.True(await page.Locator($"#timeline rect.phase-band[data-row=zoom][data-phase={phase}]").CountAsync() == 1, $"no {phase} bar on the zoomed row");
        }

        Assert.Equal("true", await page.Locator("body").GetAttributeAsync("data-running"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operator-page-running.png"), FullPage = true });

        // The page refreshes by itself: the phase moves on with no reload, and the API agrees on the end.
        await Assertions.Expect(page.Locator("#detail-phase")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        var done = await host.WaitForPhaseAsync(rollbackId, "Succeeded", TimeSpan.FromSeconds(10));
        Assert.Equal("yes", await page.EvaluateAsync<string>("() => window.loadedOnce"));
        Assert.Equal(0, Volatile.Read(ref navigations));

        var recovery = done.GetProperty("recoverySeconds").GetDouble();
        var shownR = recovery.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        await Assertions.Expect(page.Locator("#outcome [data-fact=Outcome]")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(page.Locator("#outcome-facts [data-fact=R]")).ToHaveTextAsync(shownR);
        await Assertions.Expect(page.Locator("#timeline text.r")).ToHaveTextAsync("R = " + shownR);
        await Assertions.Expect(row.Locator("[data-field=phase]")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(row.Locator("[data-field=r]")).ToHaveTextAsync(shownR);
        await Assertions.Expect(storefront.Locator("[data-field=current]")).ToHaveTextAsync(DevHostWorld.GoodVersion, new() { Timeout = Wait });
        await Assertions.Expect(storefront.Locator("[data-field=state]")).ToHaveTextAsync("Healthy");

        // After the success the storefront is in its cooldown: the version rolled back from is known bad, and a
        // second alert for the same incident is refused, both shown with why.
        var (lateStatus, late) = await host.PostJsonAsync("/api/alerts", DevHostWorld.FiredAlert("/subscriptions/0/providers/Microsoft.AlertsManagement/alerts/" + Guid.NewGuid()));
        Assert.True(lateStatus == 200 && late.GetProperty("outcome").GetString() == "Cooldown", $"the late alert answered {lateStatus}: {late}");
        await Assertions.Expect(storefront.Locator("[data-field=refused] [data-cooldown]")).ToHaveAttributeAsync("data-cooldown", rollbackId, new() { Timeout = Wait });
        await Assertions.Expect(storefront.Locator("[data-field=refused] [data-refused=Cooldown]")).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(storefront.Locator("[data-field=rolledBack]")).ToContainTextAsync(DevHostWorld.BadVersion);
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-running", "false");
        Assert.Equal(1, await page.Locator("#timeline rect.phase-band[data-row=zoom][data-phase=Verifying]").CountAsync());
        Assert.True(
            await page.Locator("#steps tbody tr").CountAsync() == done.GetProperty("timeline").GetArrayLength(),
            "every step of the audit's timeline is listed");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operator-page-finished.png"), FullPage = true });

        // Readiness: the frozen agent is not ready and says why; after a drill of the storefront its chart marks the
        // rollback and the drill differently, against the budget.
        // A newer release of the storefront, so a rollback (and the drill) has a target again.
        var (released, releaseBody) = await host.PostJsonAsync("/api/releases", new
        {
            component = DevHostWorld.Component, version = "1.6.0", artifact = DevHostWorld.Artifact('6'), status = "Deployed", schemaVersion = "7",
        });
        Assert.True(released == 201, $"release 1.6.0 answered {released}: {releaseBody}");
        var drill = await host.PostJsonAsync("/api/drills", new { component = DevHostWorld.Component, requestedBy = "browser-test" });
        Assert.True(drill.Status == 202, $"drill answered {drill.Status}: {drill.Body}");
        var drillId = drill.Body.GetProperty("drillId").GetString()!;
        var drillEnd = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JsonElement drilled;
        while ((drilled = await host.GetJsonAsync($"/api/drills/{drillId}")).GetProperty("outcome").ValueKind == JsonValueKind.Null)
        {
            Assert.True(DateTime.UtcNow < drillEnd, $"drill {drillId} did not end");
            await Task.Delay(200);
        }

        Assert.True(drilled.GetProperty("outcome").GetString() == "Succeeded", drilled.ToString());

        var readiness = page.Locator("#readiness");
        await Assertions.Expect(readiness.Locator($"tr[data-readiness={Agent}][data-ready=false] [data-precondition=NotFrozen]")).ToHaveCountAsync(1, new() { Timeout = Wait });
        var storefrontReadiness = readiness.Locator($"tr[data-readiness={DevHostWorld.Component}]");
        await Assertions.Expect(storefrontReadiness.Locator("svg rect.pt-drill[data-kind=drill]")).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(storefrontReadiness).ToHaveAttributeAsync("data-ready", "true");
        Assert.True(await storefrontReadiness.Locator("svg .pt-rollback[data-kind=rollback]").CountAsync() >= 1, "the storefront's rollback is in its R chart");
        Assert.Equal(1, await storefrontReadiness.Locator("svg line.budget-line").CountAsync());
        Assert.True(await readiness.Locator($"tr[data-readiness={Agent}] svg .pt-failed").CountAsync() >= 1, "the agent's failed rollback is marked as ended without R");
        await readiness.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operator-page-readiness.png"), FullPage = true });

        // No script error and no refused inline script or style (the page runs under a nonce CSP).
        Assert.True(problems.Count == 0, "browser console errors:\n" + string.Join('\n', problems));
    }

    [ChromiumFact]
    public async Task Operator_confirms_a_rollback_and_unfreezes_a_component_from_the_page_while_a_reader_sees_no_action()
    {
        Assert.True(Chromium.IsInstalled, Chromium.MissingMessage);

        const string OperatorKey = "oncall-browser-key";
        const string ReaderKey = "reader-browser-key";
        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DevHostWorld.SlowDeployment;
        world.Deployments.ScriptFor(Agent, DeploymentScript.Fail("agent pods crash-looping"));
        var environment = world.Environment(requireConfirmation: true);
        AddAgent(environment, world);
        environment["RollbackApi__Keys__oncall__Key"] = OperatorKey;
        environment["RollbackApi__Keys__oncall__Roles"] = "Operator";
        environment["RollbackApi__Keys__reader__Key"] = ReaderKey;
        environment["RollbackApi__Keys__reader__Roles"] = "Reader";
        await using var host = await DevHostProcess.StartAsync(world.Port, environment);
        await DevHostWorld.RecordReleasesAsync(host);
        await RecordAgentReleasesAsync(host);

        // A failed rollback froze the agent; the storefront's rollback verified and waits for an operator.
        var failedId = await StartPipelineRollbackAsync(host);
        await host.WaitForPhaseAsync(failedId, "Failed", TimeSpan.FromSeconds(60));
        Assert.True((await host.GetJsonAsync($"/api/components/{Agent}")).GetProperty("frozen").GetBoolean());
        var rollbackId = await DevHostWorld.FireAlertAsync(host);
        await host.WaitForPhaseAsync(rollbackId, "AwaitingConfirmation", TimeSpan.FromSeconds(90));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();

        // A Reader sees the same rollback waiting and the same frozen component, and no button to act on either.
        var reader = await OpenAsync(browser, world, ReaderKey, problems);
        await Assertions.Expect(reader.Locator("#whoami")).ToHaveAttributeAsync("data-roles", "Reader");
        await Assertions.Expect(reader.Locator("#whoami [data-field=name]")).ToHaveTextAsync("reader");
        await Assertions.Expect(reader.Locator("#whoami [data-field=how]")).ToHaveTextAsync("via key 'reader'");
        await Assertions.Expect(reader.Locator("#detail-phase")).ToHaveTextAsync("Awaiting Confirmation", new() { Timeout = Wait });
        await Assertions.Expect(reader.Locator($"#components tr[data-component='{Agent}'] [data-field=state]")).ToContainTextAsync("Frozen", new() { Timeout = Wait });
        Assert.Equal(0, await reader.Locator("button[data-action]").CountAsync());
        Assert.DoesNotContain("code=", reader.Url, StringComparison.Ordinal);
        await reader.CloseAsync();

        // The Operator: the key left the address bar, the page says who is signed in, and offers the actions.
        var page = await OpenAsync(browser, world, OperatorKey, problems);
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(OperatorKey, await page.EvaluateAsync<string>("() => location.href"), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#whoami [data-field=name]")).ToHaveTextAsync("oncall");
        await Assertions.Expect(page.Locator("#whoami [data-role=Operator]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#detail")).ToHaveAttributeAsync("data-rollback", rollbackId, new() { Timeout = Wait });
        var confirm = page.Locator("#detail-actions button[data-action=confirm]");
        await Assertions.Expect(confirm).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#detail-actions button[data-action=abort]")).ToBeVisibleAsync();
        var unfreeze = page.Locator($"#components tr[data-component='{Agent}'] button[data-action=unfreeze]");
        await Assertions.Expect(unfreeze).ToBeVisibleAsync(new() { Timeout = Wait });

        // Confirm: the button only opens the dialog; the rollback waits until the dialog's confirm button is pressed.
        // The screenshot's viewport is tall enough to show the signed-in caller, every action button and the dialog.
        await page.SetViewportSizeAsync(1440, 1500);
        await confirm.ClickAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var dialog = page.Locator("#action-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToHaveAttributeAsync("data-action", "confirm");
        Assert.Equal(0, await dialog.Locator("#action-operator").CountAsync());
        await dialog.Locator("#action-note").FillAsync("checkout and search verified by hand");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operator-page-actions.png") });
        Assert.Equal("AwaitingConfirmation", (await host.GetJsonAsync($"/api/rollbacks/{rollbackId}")).GetProperty("phase").GetString());
        await dialog.Locator("#action-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync(new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#detail-phase")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        var done = await host.WaitForPhaseAsync(rollbackId, "Succeeded", TimeSpan.FromSeconds(30));
        Assert.Equal("oncall", done.GetProperty("confirmedBy").GetString());
        Assert.Equal("checkout and search verified by hand", done.GetProperty("confirmationNote").GetString());
        await Assertions.Expect(page.Locator("#detail-actions button")).ToHaveCountAsync(0);

        // Unfreeze: both fields are required (an empty form sends nothing), then the agent is healthy and its gate open.
        await unfreeze.ClickAsync();
        await Assertions.Expect(dialog).ToHaveAttributeAsync("data-action", "unfreeze");
        Assert.Equal(0, await dialog.Locator("#action-operator").CountAsync());
        await dialog.Locator("#action-incidentRef").FillAsync("INC-4711");
        await dialog.Locator("#action-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        Assert.True((await host.GetJsonAsync($"/api/components/{Agent}")).GetProperty("frozen").GetBoolean(), "an incomplete unfreeze form was sent");
        await dialog.Locator("#action-analysis").FillAsync("2.4.0 crash-looped on a missing secret; the secret is restored and 2.3.0 runs healthy.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operator-page-unfreeze.png") });
        await dialog.Locator("#action-submit").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync(new() { Timeout = Wait });
        var agentRow = page.Locator($"#components tr[data-component='{Agent}']");
        await Assertions.Expect(agentRow.Locator("[data-field=state]")).ToHaveTextAsync("Healthy", new() { Timeout = Wait });
        await Assertions.Expect(agentRow.Locator("[data-field=gate] [data-gate=open]")).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync($"Unfroze {Agent}.");
        var agent = await host.GetJsonAsync($"/api/components/{Agent}");
        Assert.False(agent.GetProperty("frozen").GetBoolean(), agent.ToString());
        var gate = await host.GetJsonAsync($"/api/components/{Agent}/gate");
        Assert.True(gate.GetProperty("open").GetBoolean(), gate.ToString());
        Assert.Equal(0, await page.Locator("button[data-action=unfreeze]").CountAsync());

        Assert.True(problems.Count == 0, "browser console errors:\n" + string.Join('\n', problems));
    }

    [ChromiumFact]
    public async Task Operator_page_shows_a_refused_abort_as_problem_details_and_a_bare_key_asks_for_no_operator_name()
    {
        Assert.True(Chromium.IsInstalled, Chromium.MissingMessage);

        await using var world = await DevHostWorld.CreateAsync();
        world.Deployments.DefaultScript = DevHostWorld.SlowDeployment;
        await using var host = await DevHostProcess.StartAsync(world.Port, world.Environment(requireConfirmation: true));
        await DevHostWorld.RecordReleasesAsync(host);
        var rollbackId = await DevHostWorld.FireAlertAsync(host);
        await host.WaitForPhaseAsync(rollbackId, "AwaitingConfirmation", TimeSpan.FromSeconds(90));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await OpenAsync(browser, world, DevHostProcess.BareKey, problems);
        await Assertions.Expect(page.Locator("#whoami")).ToHaveAttributeAsync("data-method", "bare-key");

        // The audit records the identity, never a typed name (API.md): a bare key acts as itself, so the confirm
        // dialog asks for no operator name.
        await page.Locator("#detail-actions button[data-action=confirm]").ClickAsync(new() { Timeout = Wait });
        var dialog = page.Locator("#action-dialog");
        await Assertions.Expect(dialog.Locator("#action-note")).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("#action-operator")).ToHaveCountAsync(0);
        await dialog.Locator("#action-cancel").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        // The abort dialog opened while the rollback waited; it ends (aborted elsewhere) before the dialog's button is
        // pressed, so the API refuses with 409 and the dialog shows the problem details.
        await page.Locator("#detail-actions button[data-action=abort]").ClickAsync();
        await dialog.Locator("#action-reason").FillAsync("wrong target");
        var (aborted, abortBody) = await host.PostJsonAsync($"/api/rollbacks/{rollbackId}/abort", new { reason = "aborted from the CLI first" });
        Assert.True(aborted is 200 or 202, $"abort answered {aborted}: {abortBody}");
        await host.WaitForPhaseAsync(rollbackId, "Aborted", TimeSpan.FromSeconds(60));
        await dialog.Locator("#action-submit").ClickAsync();
        var problem = dialog.Locator("#action-problem");
        await Assertions.Expect(problem).ToBeVisibleAsync(new() { Timeout = Wait });
        await Assertions.Expect(problem.Locator("[data-problem=title]")).ToContainTextAsync("409");
        await Assertions.Expect(dialog).ToBeVisibleAsync();

        // The one console error allowed is the browser's own line about the refused request.
        Assert.False(problems.Any(p => !p.Contains("409", StringComparison.Ordinal)), "browser console errors:\n" + string.Join('\n', problems));
    }

    private static async Task<IPage> OpenAsync(IBrowser browser, DevHostWorld world, string key, List<string> problems)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, Locale = "en-GB" });
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        var response = await page.GotoAsync($"http://127.0.0.1:{world.Port}/api/operator?code={key}");
        Assert.Equal(200, response?.Status);
        return page;
    }

    private static void AddAgent(Dictionary<string, string> environment, DevHostWorld world)
    {
        var c = $"Rollback__Components__{Agent}__";
        environment[c + "Kind"] = "ShopAgent";
        environment[c + "Provider"] = "platform";
        environment[c + "RequireOperatorConfirmation"] = "false";
        environment[c + "SmokeProbes__0__Name"] = "chat";
        environment[c + "SmokeProbes__0__Url"] = world.Endpoints.Url($"{Agent}/smoke").ToString();
        environment[c + "SmokeProbes__0__Interval"] = "00:00:00.200";
        environment[c + "HealthChecks__0__Name"] = "health";
        environment[c + "HealthChecks__0__Url"] = world.Endpoints.Url($"{Agent}/health").ToString();
        environment[c + "HealthChecks__0__BodyContains"] = "Healthy";
        environment[c + "HealthChecks__0__Interval"] = "00:00:00.200";
    }

    /// <summary>A drill environment for the storefront on the same simulators (the demo's shape).</summary>
    private static void AddStorefrontDrillEnvironment(Dictionary<string, string> environment, DevHostWorld world)
    {
        var c = $"Rollback__Components__{DevHostWorld.Component}__Drill__";
        environment[c + "Provider"] = "platform";
        environment[c + "SmokeProbes__0__Name"] = "home";
        environment[c + "SmokeProbes__0__Url"] = world.Endpoints.Url($"drill/{DevHostWorld.Component}/smoke").ToString();
    }

    private static async Task RecordAgentReleasesAsync(DevHostProcess host)
    {
        foreach (var (version, digit, status) in new[] { ("2.3.0", 'a', "Verified"), ("2.4.0", 'b', "Deployed") })
        {
            var (answer, body) = await host.PostJsonAsync("/api/releases", new { component = Agent, version, artifact = "registry.example.com/shop/agent@sha256:" + new string(digit, 64), status, schemaVersion = "3" });
            Assert.True(answer == 201, $"release {version} answered {answer}: {body}");
        }
    }

    private static async Task<string> StartPipelineRollbackAsync(DevHostProcess host)
    {
        var (status, body) = await host.PostJsonAsync("/api/rollbacks", new
        {
            component = Agent,
            reason = "SmokeTestsFailed",
            requestedBy = "release-pipeline",
            correlationId = "pipeline-run-" + Guid.NewGuid().ToString("N")[..8],
            details = "chat smoke suite failed after 2.4.0",
        });
        Assert.True(status == 202, $"pipeline rollback answered {status}: {body}\n{host.Tail()}");
        return body.GetProperty("rollbackId").GetString()!;
    }

    private static string Screenshot(string name)
    {
        var directory = Path.Combine(RepositoryRoot.Path, "TestResults");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}

/// <summary>Debian's Chromium, which the browser tests drive (no browser download: scripts/test.d/chromium.sh installs the package).</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = ExecutablePath,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string MissingMessage =>
        $"{ExecutablePath} is missing: the browser test needs Debian's 'chromium' package (scripts/test.d/chromium.sh installs it when run as root).";
}

/// <summary>A fact that is skipped where Chromium is missing, except under CI (CI=true), where the test runs and fails saying why.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.IsCi)
        {
            Skip = Chromium.MissingMessage;
        }
    }
}
