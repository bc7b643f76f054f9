using System.CommandLine;
using System.Text.Json;
using RollbackFunctions.Cli.Api;
using RollbackFunctions.Cli.Output;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace RollbackFunctions.Cli.Commands;

/// <summary>
/// <c>watch</c>: polls the rollback, prints each timeline step when it appears and the elapsed time against the budget
/// (a live progress bar on a terminal, a text bar at each phase otherwise), and exits with the outcome's code.
/// </summary>
public sealed class WatchCommand(CommandSession session, string rollbackId, TimeSpan interval, TimeSpan? timeout)
{
    private readonly HashSet<string> _shown = new(StringComparer.Ordinal);
    private string? _phase;
    private bool _targetShown;
    private ProgressTask? _bar;

    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var id = CliCommands.RollbackId();
        var every = new Option<double>("--interval") { Description = "Seconds between polls.", DefaultValueFactory = _ => 1 };
        var giveUp = new Option<double?>("--timeout") { Description = "Stop watching after this many seconds; exits 9 when the rollback has not ended by then." };
        return runner.Define(
            "watch", "Follow a rollback live: each step as it happens and the elapsed time against the budget, ending on the outcome (exit code as 'status').", [id, every, giveUp],
            (session, parse, cancellationToken) => new WatchCommand(
                session,
                parse.GetValue(id)!,
                TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(every))),
                parse.GetValue(giveUp) is { } seconds ? TimeSpan.FromSeconds(seconds) : null).RunAsync(cancellationToken));
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (session.Json || !session.Console.Interactive)
        {
            return await PollAsync(null, cancellationToken).ConfigureAwait(false);
        }

        var exitCode = ExitCodes.Unexpected;
        await session.Console.Ansi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new BudgetColumn())
            .StartAsync(async progress => exitCode = await PollAsync(progress, cancellationToken).ConfigureAwait(false))
            .ConfigureAwait(false);
        return exitCode;
    }

    private async Task<int> PollAsync(ProgressContext? progress, CancellationToken cancellationToken)
    {
        var giveUpAt = timeout is { } t ? DateTimeOffset.UtcNow + t : (DateTimeOffset?)null;
        while (true)
        {
            var answer = await session.Api.GetRollbackAsync(rollbackId, cancellationToken).ConfigureAwait(false);
            if (await session.RefusedAsync(answer).ConfigureAwait(false) is { } refused)
            {
                return refused;
            }

            var rollback = answer.Body;
            var outcome = rollback.Text("outcome");
            if (!session.Json)
            {
                Show(rollback, progress, ended: outcome is not null);
            }

            if (outcome is not null || (giveUpAt is { } end && DateTimeOffset.UtcNow >= end))
            {
                return await EndAsync(answer, outcome).ConfigureAwait(false);
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Show(JsonElement rollback, ProgressContext? progress, bool ended)
    {
        var console = session.Console.Ansi;
        var phase = rollback.Text("phase");
        var elapsed = rollback.Number("elapsedSeconds") ?? 0;
        var budget = rollback.Number("budgetSeconds") ?? 0;
        if (_phase is null)
        {
            console.WriteLine($"watching {rollbackId}: {rollback.Text("component")}, trigger {rollback.Field("trigger")?.Text("reason")}, budget {JsonFields.Seconds(budget)}");
        }

        // The target is pinned by validation, which a just-started rollback has not done yet. Shown once, so only
        // when whole: a service older than this client may show the target before the version it replaces.
        if (!_targetShown && rollback.Text("targetVersion") is { } target && (rollback.Text("fromVersion") is not null || ended))
        {
            console.WriteLine($"target: {rollback.Text("fromVersion") ?? "?"} -> {target}  {rollback.Text("targetArtifact")}");
            _targetShown = true;
        }

        var receivedAt = RollbackRendering.ReceivedAt(rollback);
        foreach (var step in rollback.Items("timeline"))
        {
            if (_shown.Add(step.Text("sequence") ?? step.GetRawText()))
            {
                console.WriteLine(RollbackRendering.StepLine(step, receivedAt));
            }
        }

        if (progress is not null)
        {
            _bar ??= progress.AddTask(phase ?? string.Empty, maxValue: Math.Max(1, budget));
            _bar.Description = phase ?? string.Empty;
            _bar.Value = Math.Min(elapsed, _bar.MaxValue);
            if (ended)
            {
                _bar.StopTask();
            }

            progress.Refresh();
        }
        else if (phase != _phase || ended)
        {
            console.WriteLine($"{phase,-20} {BudgetBar.Text(elapsed, budget)}");
        }

        _phase = phase;
    }

    private async Task<int> EndAsync(ApiAnswer answer, string? outcome)
    {
        if (session.Json)
        {
            await session.WriteJsonAsync(answer).ConfigureAwait(false);
        }
        else
        {
            session.Console.Ansi.WriteLine(RollbackRendering.Summary(answer.Body));
            if (outcome is null)
            {
                session.Console.Ansi.WriteLine($"still running after the watch's {JsonFields.Seconds(timeout?.TotalSeconds)}: rollbackctl watch {rollbackId}");
            }
        }

        return ExitCodes.ForOutcome(outcome);
    }

    /// <summary>"93.2 s of 300 s": the bar's value and maximum are the elapsed and budget seconds.</summary>
    private sealed class BudgetColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text($"{JsonFields.Seconds(task.Value)} of {JsonFields.Seconds(task.MaxValue)}");
    }
}
