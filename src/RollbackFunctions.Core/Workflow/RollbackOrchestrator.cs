using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Workflow;

/// <summary>
/// The rollback of one component (ROLLBACK_STRATEGY.md): validate and pin the target, deploy it through CI/CD, verify
/// it, wait for the operator's confirmation, and end. Every end but <see cref="RollbackPhase.Succeeded"/> escalates and
/// freezes the component. It only decides: every read and write is an activity, time comes from the context, and the
/// deadline is fixed by the input (trigger receipt + budget), so replays take the same path.
/// </summary>
public sealed partial class RollbackOrchestrator : TaskOrchestrator<RollbackRequest, RollbackResult>
{
    /// <summary>Storage and transient failures of an activity are retried; refusals come back as results, not exceptions.</summary>
    internal static readonly TaskOptions TransientRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromMilliseconds(250), backoffCoefficient: 2.0));

    public override Task<RollbackResult> RunAsync(TaskOrchestrationContext context, RollbackRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return new Run(context, input).ExecuteAsync();
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Rollback {RollbackId} of {Component} ended {Outcome}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string rollbackId, string component, RollbackPhase outcome, string reason);

    /// <param name="OutOfTime">A call failed only because the deadline passed: the budget timer decides (TimedOut).</param>
    private sealed record Verdict(bool Passed, string Reason, bool OutOfTime = false)
    {
        public static readonly Verdict Stopped = new(false, "stopped by the budget timer");
    }

    /// <summary>The state of one execution (rebuilt identically on each replay).</summary>
    private sealed class Run(TaskOrchestrationContext context, RollbackRequest request)
    {
        private readonly RollbackPolicy _policy = request.Policy ?? RollbackPolicy.Default;
        private readonly List<RollbackStep> _unwrittenSteps = [];
        private Task _auditChain = Task.CompletedTask;
        private RollbackRecord _summary = null!;
        private int _sequence;
        private bool _indexed;

        // Set when the budget timer wins or the rollback ends: the losing branch schedules nothing further.
        private bool _stopped;

        // Only the ending itself still writes once stopped.
        private bool _ending;

        // The provider's last transient failure while it is still failing, named if the budget runs out.
        private string? _lastTransientError;

        // The start activity that writes the pinned audit, while it runs: an end waits for it, so the pinned summary
        // never lands after the end's.
        private Task<DeploymentStartResult>? _pinning;
        private RecordAuditInput? _pinnedUnconfirmed;

        private DateTime Deadline => request.Deadline.UtcDateTime;

        public async Task<RollbackResult> ExecuteAsync()
        {
            _summary = new RollbackRecord(
                request.RollbackId, request.Component, request.Trigger, request.TargetVersion,
                FromVersion: null, TargetVersion: null, TargetArtifact: null, RollbackPhase.Received,
                StartedAt: Now, Deadline: request.Deadline, BudgetSeconds: _policy.Budget.TotalSeconds);
            EnterPhase(RollbackPhase.Received);
            Step("TriggerReceived", StepStatus.Info,
                $"{request.Trigger.Reason} from {request.Trigger.Source} ({request.Trigger.TriggerId}) requested by {request.Trigger.RequestedBy}"
                + (request.Trigger.Details is null ? "" : ": " + request.Trigger.Details));

            var plan = await context.CallActivityAsync<RollbackPlan>(
                nameof(ValidateRollbackTargetActivity), new ValidateRollbackTargetInput(request.RollbackId, request.Component, request.TargetVersion), TransientRetry).ConfigureAwait(true);
            foreach (var check in plan.Preconditions)
            {
                Step("Precondition:" + check.Name, check.Passed ? StepStatus.Passed : StepStatus.Failed, check.Reason);
            }

            _summary = _summary with { FromVersion = plan.CurrentVersion, TargetVersion = plan.Target?.Version, TargetArtifact = plan.Target?.Artifact, Provider = plan.ProviderName };
            if (!plan.Accepted || plan.Target is null || plan.ProviderName is null)
            {
                return await EndAsync(RollbackPhase.Rejected, "Refused, nothing deployed: " + (plan.RejectionReason ?? "no target")).ConfigureAwait(true);
            }

            // Section 10: the target is pinned in the audit before anything is deployed.
            EnterPhase(RollbackPhase.Validated);
            Step("TargetPinned", StepStatus.Passed,
                $"Rolling back {plan.CurrentVersion} -> {plan.Target.Version} ({plan.Target.Artifact}, schema {plan.Target.SchemaVersion ?? "none"})");

            // Written by the start activity before it requests the deployment: one dispatch instead of two.
            var pinned = TakeAudit();

            using var budgetCancellation = new CancellationTokenSource();
            var budget = context.CreateTimer(Deadline, budgetCancellation.Token);
            var work = DeployAndVerifyAsync(plan, plan.Target, pinned);
            if (await Task.WhenAny(work, budget).ConfigureAwait(true) == budget)
            {
                return await TimedOutAsync().ConfigureAwait(true);
            }

            var verdict = await work.ConfigureAwait(true);
            if (verdict.OutOfTime)
            {
                // Section 7: a call cut short by the deadline is the budget's end, not a failure; the timer is due now.
                await budget.ConfigureAwait(true);
                return await TimedOutAsync().ConfigureAwait(true);
            }

            budgetCancellation.Cancel();
            if (!verdict.Passed)
            {
                return await EndAsync(RollbackPhase.Failed, verdict.Reason).ConfigureAwait(true);
            }

            var verifiedAt = Now;
            var recovery = (verifiedAt - request.Trigger.ReceivedAt).TotalSeconds;
            _summary = _summary with { VerifiedAt = verifiedAt, RecoverySeconds = recovery };
            Step("Verified", StepStatus.Passed, string.Create(CultureInfo.InvariantCulture, $"Smoke probes and health checks passed; R = {recovery:0.###} s"));

            if (!plan.RequireOperatorConfirmation)
            {
                Step("OperatorConfirmation", StepStatus.Info, "Not required by this component's configuration.");
                return await EndAsync(RollbackPhase.Succeeded, $"{plan.Target.Version} deployed and verified.").ConfigureAwait(true);
            }

            // The live status says AwaitingConfirmation only once the audit does, so readers of either agree.
            _summary = _summary with { Phase = RollbackPhase.AwaitingConfirmation };
            Step("AwaitingConfirmation", StepStatus.Started, $"Waiting up to {Format(_policy.ConfirmationWindow)} for an operator to confirm restored availability.");
            await FlushAuditAsync().ConfigureAwait(true);
            EnterPhase(RollbackPhase.AwaitingConfirmation);
            var confirmation = await WaitForConfirmationAsync(verifiedAt).ConfigureAwait(true);
            if (confirmation is null)
            {
                return await EndAsync(RollbackPhase.Unconfirmed, $"No operator confirmed restored availability within {Format(_policy.ConfirmationWindow)} (section 8).").ConfigureAwait(true);
            }

            _summary = _summary with { ConfirmedAt = confirmation.ConfirmedAt, ConfirmedBy = confirmation.Operator, ConfirmationNote = confirmation.Note };
            Step("OperatorConfirmed", StepStatus.Passed, $"{confirmation.Operator} confirmed restored availability" + (confirmation.Note is null ? "" : ": " + confirmation.Note));
            return await EndAsync(RollbackPhase.Succeeded, $"{plan.Target.Version} deployed, verified and confirmed by {confirmation.Operator}.").ConfigureAwait(true);
        }

        private Task<RollbackResult> TimedOutAsync()
        {
            _stopped = true;
            return EndAsync(RollbackPhase.TimedOut,
                $"The budget of {Format(_policy.Budget)} from the trigger's receipt ran out at {request.Deadline:O} while {_summary.Phase}; no further change was requested."
                + (_lastTransientError is null ? "" : $" The deployment provider was failing: {_lastTransientError}"));
        }

        /// <summary>
        /// The operator's confirmation within the window. Durable engines buffer events raised before anyone waits, so a
        /// confirmation given before verification passed would otherwise count: it is recorded and ignored.
        /// </summary>
        private async Task<OperatorConfirmation?> WaitForConfirmationAsync(DateTimeOffset verifiedAt)
        {
            var windowEnds = context.CurrentUtcDateTime + _policy.ConfirmationWindow;
            while (context.CurrentUtcDateTime < windowEnds)
            {
                OperatorConfirmation received;
                try
                {
                    received = await context.WaitForExternalEvent<OperatorConfirmation>(OperatorConfirmation.EventName, windowEnds - context.CurrentUtcDateTime).ConfigureAwait(true);
                }
                catch (TaskCanceledException)
                {
                    return null;
                }

                if (received.ConfirmedAt >= verifiedAt)
                {
                    return received;
                }

                Step("EarlyConfirmationIgnored", StepStatus.Info,
                    $"{received.Operator} confirmed at {received.ConfirmedAt:O}, before verification passed at {verifiedAt:O}: not counted.");
            }

            return null;
        }

        private async Task<Verdict> DeployAndVerifyAsync(RollbackPlan plan, RollbackTarget target, RecordAuditInput pinned)
        {
            var started = await StartDeploymentAsync(plan, target, pinned).ConfigureAwait(true);
            if (started.DeploymentId is not { } deploymentId)
            {
                return started.Verdict!;
            }

            var deployed = await AwaitDeploymentAsync(plan, deploymentId, started.FirstPoll).ConfigureAwait(true);
            if (deployed is not null)
            {
                return deployed;
            }

            EnterPhase(RollbackPhase.Verifying);
            var firstRound = await RunFirstProbeRoundAsync(plan).ConfigureAwait(true);
            var stages = new (string Kind, IReadOnlyList<ProbeSpec> Probes, IReadOnlyList<ProbeResult>? FirstAttempts)[]
            {
                ("Smoke", plan.SmokeProbes, firstRound.Smoke),
                ("Health", plan.HealthChecks, firstRound.Health),
            };
            foreach (var (kind, probes, firstAttempts) in stages)
            {
                // Probes of one kind run side by side; health checks start once every smoke probe passed.
                var verdicts = await Task.WhenAll(probes.Select((probe, i) => ProbeUntilSettledAsync(kind, probe, firstAttempts?.ElementAtOrDefault(i)))).ConfigureAwait(true);
                if (_stopped)
                {
                    return Verdict.Stopped;
                }

                if (verdicts.FirstOrDefault(v => !v.Passed) is { } failed)
                {
                    return new Verdict(false, failed.Reason);
                }
            }

            return new Verdict(true, "verified");
        }

        /// <summary>
        /// Starts the deployment, again after a transient failure (the start is idempotent by the rollback id) until it
        /// starts, is refused, or the budget runs out. Returns the deployment id, or the verdict that ends the work.
        /// </summary>
        private async Task<(string? DeploymentId, Verdict? Verdict, DeploymentPollResult? FirstPoll)> StartDeploymentAsync(RollbackPlan plan, RollbackTarget target, RecordAuditInput pinned)
        {
            EnterPhase(RollbackPhase.Deploying);
            Step("DeploymentRequested", StepStatus.Started, $"{target.Version} through provider '{plan.ProviderName}', idempotency key {request.RollbackId}, no migrations, no secret rotation");
            RecordAuditInput? auditFirst = pinned;
            _pinnedUnconfirmed = pinned;
            var failures = 0;
            // Bounded by the deadline; the budget timer normally ends the race first.
            while (context.CurrentUtcDateTime < Deadline)
            {
                DeploymentStartResult started;
                var call = context.CallActivityAsync<DeploymentStartResult>(nameof(StartDeploymentActivity), new StartDeploymentInput(
                    request.RollbackId, plan.ProviderName!, request.Component, target.Version, target.Artifact,
                    $"{request.Trigger.Reason}: rollback {request.RollbackId}", request.Deadline, auditFirst), TransientRetry);
                _pinning = auditFirst is null ? null : call;
                _pinnedUnconfirmed = auditFirst;
                try
                {
                    started = await call.ConfigureAwait(true);
                }
                catch (TaskFailedException ex)
                {
                    RequeuePinned();
                    return (null, Fail("DeploymentStarted", "The deployment could not be started: " + ex.FailureDetails.ErrorMessage), null);
                }
                finally
                {
                    _pinning = null;
                }

                // The activity wrote the pinned audit before calling the provider.
                auditFirst = null;
                _pinnedUnconfirmed = null;
                if (_stopped)
                {
                    return (null, Verdict.Stopped, null);
                }

                if (started.Started)
                {
                    _lastTransientError = null;
                    _summary = _summary with { DeploymentId = started.DeploymentId };
                    context.SetCustomStatus(new RollbackCustomStatus(_summary.Phase, target.Version, started.DeploymentId));
                    Step("DeploymentStarted", StepStatus.Passed, $"Deployment {started.DeploymentId}"
                        + (started.AlreadyStarted ? " (already started under this idempotency key)" : "")
                        + (failures > 0 ? $" after {failures} failed attempt(s)" : ""));
                    return (started.DeploymentId, null, started.FirstPoll);
                }

                var failure = started.Failure ?? new ProviderCallFailure("no deployment id", false, false, null);
                if (failure.DeadlinePassed)
                {
                    return (null, OutOfTime("The deployment could not be started before the deadline: " + failure.Error), null);
                }

                if (!failure.Transient)
                {
                    return (null, Fail("DeploymentStarted", "The deployment provider refused the deployment: " + failure.Error), null);
                }

                if (++failures == 1)
                {
                    Step("DeploymentStartRetrying", StepStatus.Info, $"The deployment could not be started ({failure.Error}); trying again within the budget (same idempotency key).");
                }

                _lastTransientError = failure.Error;
                await WaitBeforeRetryAsync(failure.RetryAfter).ConfigureAwait(true);
            }

            // Out of time before the first attempt: the pinned rows go with the end's audit.
            RequeuePinned();
            return (null, OutOfTime("The deployment was not started before the deadline."), null);
        }

        /// <summary>
        /// Polls the deployment until it finishes. A transient failure to read its progress is polled again within the
        /// budget; a refusal (401, 404, malformed answer) fails at once. Returns null when every unit succeeded.
        /// </summary>
        private async Task<Verdict?> AwaitDeploymentAsync(RollbackPlan plan, string deploymentId, DeploymentPollResult? firstPoll)
        {
            var unread = 0;
            var pending = firstPoll;

            // Bounded by the deadline; the budget timer normally ends the race first.
            while (!_stopped && context.CurrentUtcDateTime < Deadline)
            {
                DeploymentPollResult poll;
                if (pending is not null)
                {
                    // Read by the start activity right after starting: a progress or a refusal, never a transient failure.
                    (poll, pending) = (pending, null);
                }
                else
                {
                    try
                    {
                        poll = await context.CallActivityAsync<DeploymentPollResult>(nameof(GetDeploymentProgressActivity),
                            new GetDeploymentProgressInput(request.RollbackId, plan.ProviderName!, request.Component, deploymentId, request.Deadline), TransientRetry).ConfigureAwait(true);
                    }
                    catch (TaskFailedException ex)
                    {
                        return Fail("DeploymentCompleted", $"The progress of deployment {deploymentId} could not be read: " + ex.FailureDetails.ErrorMessage);
                    }
                }

                if (_stopped)
                {
                    return Verdict.Stopped;
                }

                if (poll.Progress is not { } progress)
                {
                    var failure = poll.Failure ?? new ProviderCallFailure("no progress in the answer", false, false, null);
                    if (failure.DeadlinePassed)
                    {
                        return OutOfTime($"The progress of deployment {deploymentId} could not be read before the deadline: {failure.Error}");
                    }

                    if (!failure.Transient)
                    {
                        return Fail("DeploymentCompleted", $"The progress of deployment {deploymentId} could not be read: {failure.Error}");
                    }

                    if (++unread == 1)
                    {
                        Step("DeploymentProgressUnavailable", StepStatus.Info, $"The progress of deployment {deploymentId} could not be read ({failure.Error}); polling again within the budget.");
                    }

                    _lastTransientError = failure.Error;
                    await WaitBeforeRetryAsync(failure.RetryAfter).ConfigureAwait(true);
                    continue;
                }

                if (unread > 0)
                {
                    Step("DeploymentProgressAvailable", StepStatus.Info, $"The progress of deployment {deploymentId} was read again after {unread} failed attempt(s).");
                    unread = 0;
                    _lastTransientError = null;
                }

                if (progress.IsFinished)
                {
                    var units = string.Join(", ", progress.Units.Select(u => $"{u.Name}={u.Status}"));
                    if (progress.State != Deployment.DeploymentState.Succeeded)
                    {
                        return Fail("DeploymentCompleted", $"Deployment {deploymentId} ended {progress.State}" + (progress.Message is null ? "" : $" ({progress.Message})") + $"; units: {units}");
                    }

                    var notSucceeded = progress.Units.Where(u => !string.Equals(u.Status, nameof(Deployment.DeploymentState.Succeeded), StringComparison.OrdinalIgnoreCase)).ToList();
                    if (notSucceeded.Count > 0)
                    {
                        return Fail("DeploymentCompleted",
                            $"Partial deployment: unit(s) {string.Join(", ", notSucceeded.Select(u => $"{u.Name}={u.Status}"))} of deployment {deploymentId} did not succeed; a partial rollback is never a success (section 9).");
                    }

                    Step("DeploymentCompleted", StepStatus.Passed, $"Deployment {deploymentId} succeeded; units: {units}");
                    return null;
                }

                await context.CreateTimer(context.CurrentUtcDateTime + _policy.DeploymentPollInterval, CancellationToken.None).ConfigureAwait(true);
            }

            return OutOfTime($"Deployment {deploymentId} did not finish before the deadline.");
        }

        /// <summary>The poll interval, or longer when the server asked; never past the deadline (the budget timer ends it there).</summary>
        private Task WaitBeforeRetryAsync(TimeSpan? retryAfter)
        {
            var wait = retryAfter is { } asked && asked > _policy.DeploymentPollInterval ? asked : _policy.DeploymentPollInterval;
            var until = context.CurrentUtcDateTime + wait;
            return context.CreateTimer(until < Deadline ? until : Deadline, CancellationToken.None);
        }

        private Verdict OutOfTime(string reason) => _stopped ? Verdict.Stopped : new Verdict(false, reason, OutOfTime: true);

        /// <summary>The first attempt of every probe in one activity (health checks only once every smoke probe passed).</summary>
        private async Task<ProbeRoundResult> RunFirstProbeRoundAsync(RollbackPlan plan)
        {
            try
            {
                return await context.CallActivityAsync<ProbeRoundResult>(nameof(RunFirstProbeRoundActivity),
                    new ProbeRoundInput(request.RollbackId, plan.SmokeProbes, plan.HealthChecks), TransientRetry).ConfigureAwait(true);
            }
            catch (TaskFailedException)
            {
                // Probes answer their failures as results, so this is the worker failing: each probe is then attempted on its own.
                return new ProbeRoundResult([], null);
            }
        }

        /// <param name="firstAttempt">The first attempt, when the first probe round made it.</param>
        private async Task<Verdict> ProbeUntilSettledAsync(string kind, ProbeSpec probe, ProbeResult? firstAttempt)
        {
            var consecutive = 0;
            var last = "";
            for (var attempt = 1; attempt <= probe.MaxAttempts; attempt++)
            {
                if (_stopped)
                {
                    return Verdict.Stopped;
                }

                var result = attempt == 1 && firstAttempt is not null
                    ? firstAttempt
                    : await context.CallActivityAsync<ProbeResult>(nameof(RunProbeActivity), new RunProbeInput(request.RollbackId, probe), TransientRetry).ConfigureAwait(true);
                last = result.Detail;
                consecutive = result.Passed ? consecutive + 1 : 0;
                if (consecutive >= probe.ConsecutivePasses)
                {
                    Step($"{kind}Probe:{probe.Name}", StepStatus.Passed, $"{probe.Url}: {consecutive} consecutive pass(es) in {attempt} attempt(s); {last}");
                    return new Verdict(true, "passed");
                }

                if (attempt < probe.MaxAttempts && !_stopped)
                {
                    await context.CreateTimer(context.CurrentUtcDateTime + probe.Interval, CancellationToken.None).ConfigureAwait(true);
                }
            }

            var reason = $"{kind} probe '{probe.Name}' ({probe.Url}) did not pass {probe.ConsecutivePasses} time(s) in a row within {probe.MaxAttempts} attempt(s); last: {last}";
            if (!_stopped)
            {
                Step($"{kind}Probe:{probe.Name}", StepStatus.Failed, reason);
            }

            return new Verdict(false, reason);
        }

        private Verdict Fail(string stepName, string reason)
        {
            if (_stopped)
            {
                return Verdict.Stopped;
            }

            Step(stepName, StepStatus.Failed, reason);
            return new Verdict(false, reason);
        }

        private async Task<RollbackResult> EndAsync(RollbackPhase outcome, string reason)
        {
            _stopped = true;
            _ending = true;
            var decidedAt = Now;
            await PinnedAuditWrittenAsync().ConfigureAwait(true);
            _summary = _summary with { OutcomeReason = reason };
            EnterPhase(outcome);
            if (outcome == RollbackPhase.Succeeded)
            {
                // One activity settles the component and then writes the end's audit (EndedAt stamped once settled).
                Step("Succeeded", StepStatus.Passed, reason);
                await _auditChain.ConfigureAwait(true);
                await context.CallActivityAsync<FinishRollbackResult>(nameof(FinishRollbackActivity),
                    new FinishRollbackInput(request.RollbackId, request.Component, true, _summary.TargetVersion, reason, outcome, _summary.RecoverySeconds, BudgetRemainingSeconds(decidedAt), TakeAudit()), TransientRetry).ConfigureAwait(true);

                LogEnded(context.CreateReplaySafeLogger<RollbackOrchestrator>(), request.RollbackId, request.Component, outcome, reason);
                return new RollbackResult(request.RollbackId, request.Component, outcome, _summary.TargetVersion, reason, _summary.RecoverySeconds);
            }
            else
            {
                Step(outcome.ToString(), StepStatus.Failed, reason);

                // Freeze first: no further change may start while the incident is being raised. The same activity then
                // makes the first delivery attempt (one dispatch instead of two); later attempts wait on durable timers.
                var incident = new EscalateIncidentInput(request.RollbackId, request.Component, outcome, reason, _summary.FromVersion, _summary.TargetVersion, _summary.StartedAt, decidedAt);
                var finished = await context.CallActivityAsync<FinishRollbackResult>(nameof(FinishRollbackActivity),
                    new FinishRollbackInput(request.RollbackId, request.Component, false, null, $"Rollback {request.RollbackId} ended {outcome}: {reason}", outcome, _summary.RecoverySeconds, BudgetRemainingSeconds(decidedAt), EscalateAfter: incident), TransientRetry).ConfigureAwait(true);
                var record = await EscalateAsync(incident, finished.Escalation).ConfigureAwait(true);
                _summary = _summary with { Escalation = record };
                Step("ComponentFrozen", StepStatus.Info, $"{request.Component} is frozen until an operator unfreezes it with an incident reference and analysis (section 11).");
                Step("Escalation", record.Delivered ? StepStatus.Passed : StepStatus.Failed, record.Delivered
                    ? $"Incident delivered after {record.Attempts} attempt(s)."
                    : $"Incident NOT delivered after {record.Attempts} attempt(s): {record.Error}. The component stays frozen.");
            }

            // Ended once the component is settled (current or frozen) and the escalation done or given up.
            _summary = _summary with { EndedAt = Now };
            await FlushAuditAsync().ConfigureAwait(true);
            LogEnded(context.CreateReplaySafeLogger<RollbackOrchestrator>(), request.RollbackId, request.Component, outcome, reason);
            return new RollbackResult(request.RollbackId, request.Component, outcome, _summary.TargetVersion, reason, _summary.RecoverySeconds);
        }

        /// <param name="firstAttempt">The delivery attempt the finish activity already made, if any.</param>
        private async Task<EscalationRecord> EscalateAsync(EscalateIncidentInput input, IncidentDeliveryResult? firstAttempt)
        {
            var attempts = 0;
            string? error = null;
            var backoff = _policy.IncidentInitialBackoff;
            while (attempts < Math.Max(1, _policy.IncidentMaxAttempts))
            {
                attempts++;
                IncidentDeliveryResult delivery;
                if (attempts == 1 && firstAttempt is not null)
                {
                    delivery = firstAttempt;
                }
                else
                {
                    try
                    {
                        delivery = await context.CallActivityAsync<IncidentDeliveryResult>(nameof(EscalateIncidentActivity), input).ConfigureAwait(true);
                    }
                    catch (TaskFailedException ex)
                    {
                        delivery = new IncidentDeliveryResult(false, false, null, ex.FailureDetails.ErrorMessage);
                    }
                }

                if (delivery.Delivered)
                {
                    return new EscalationRecord(Now, true, attempts, null);
                }

                error = delivery.Error;
                if (delivery.NotConfigured)
                {
                    break;
                }

                if (attempts < _policy.IncidentMaxAttempts)
                {
                    await context.CreateTimer(context.CurrentUtcDateTime + backoff, CancellationToken.None).ConfigureAwait(true);
                    backoff += backoff;
                }
            }

            return new EscalationRecord(Now, false, attempts, error);
        }

        private DateTimeOffset Now => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

        /// <summary>Budget left when automated verification passed, or when the outcome was decided without it.</summary>
        private double BudgetRemainingSeconds(DateTimeOffset decidedAt) =>
            Math.Round((request.Deadline - (_summary.VerifiedAt ?? decidedAt)).TotalSeconds, 3);

        private void EnterPhase(RollbackPhase phase)
        {
            _summary = _summary with { Phase = phase };
            context.SetCustomStatus(new RollbackCustomStatus(phase, _summary.TargetVersion, _summary.DeploymentId));
        }

        /// <summary>
        /// Writes the summary and the steps noted since the last write in one activity. Writes are chained so the
        /// summary row is replaced in order; the steps keep the time they happened (<see cref="RollbackStep.At"/>).
        /// Few, sequential writes: on the durable engines an activity finishing while the orchestration runs waits
        /// for the next dispatch, so side-by-side audit activities would slow the rollback down, not speed it up.
        /// </summary>
        private Task FlushAuditAsync()
        {
            if (_stopped && !_ending)
            {
                return Task.CompletedTask;
            }

            _auditChain = WriteAfterAsync(_auditChain, TakeAudit());
            return _auditChain;
        }

        /// <summary>The summary and the steps noted since the last write, for an activity to write; they count as written.</summary>
        private RecordAuditInput TakeAudit()
        {
            var input = new RecordAuditInput(_summary, [.. _unwrittenSteps], WriteIndex: !_indexed);
            _indexed = true;
            _unwrittenSteps.Clear();
            return input;
        }

        /// <summary>
        /// When the budget ends the rollback while the start activity runs (its provider call is cut at the deadline),
        /// waits for it so its older summary cannot overwrite the end's; if it failed, its rows go with the end's write.
        /// </summary>
        private async Task PinnedAuditWrittenAsync()
        {
            if (_pinning is not { } pinning)
            {
                return;
            }

            try
            {
                await pinning.ConfigureAwait(true);
            }
            catch (TaskFailedException)
            {
                RequeuePinned();
            }
        }

        /// <summary>The pinned rows the start activity may not have written go with the next write (once).</summary>
        private void RequeuePinned()
        {
            if (_pinnedUnconfirmed is not { } unwritten)
            {
                return;
            }

            _pinnedUnconfirmed = null;
            _unwrittenSteps.InsertRange(0, unwritten.Steps);
            _indexed &= !unwritten.WriteIndex;
        }

        private async Task WriteAfterAsync(Task previous, RecordAuditInput input)
        {
            await previous.ConfigureAwait(true);
            await context.CallActivityAsync<bool>(nameof(RecordAuditActivity), input, TransientRetry).ConfigureAwait(true);
        }

        private void Step(string name, StepStatus status, string? detail)
        {
            if (_stopped && !_ending)
            {
                return;
            }

            _unwrittenSteps.Add(new RollbackStep(request.RollbackId, ++_sequence, name, _summary.Phase, status, Now, detail));
        }

        private static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);
    }
}
