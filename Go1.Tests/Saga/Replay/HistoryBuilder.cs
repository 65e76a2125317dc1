using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Common;
using Temporalio.Converters;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Go1.Tests.Saga.Replay;

/// <summary>
/// Writes a workflow history event by event, the way a Temporal server records one: ids 1..N without gaps,
/// a time on every event, and the references between events (a task's completion to its start, an activity's
/// result to its schedule, a timer's end to its start). Each method appends what the server writes for one
/// thing that happens; the workflow's commands appear after the <see cref="WorkflowTask"/> that issued them.
/// </summary>
public sealed class HistoryBuilder
{
    public const string TaskQueue = "go1-replay";

    private readonly List<HistoryEvent> _events = [];
    private readonly Dictionary<string, long> _scheduledActivities = [];
    private readonly Dictionary<string, long> _startedTimers = [];
    private DateTimeOffset _clock;
    private long _lastTaskCompleted;
    private int _activitySeq;
    private int _timerSeq;

    /// <summary>A run started with <paramref name="input"/>; unless <paramref name="firstTask"/> is false (to put events before it), its first task follows.</summary>
    public HistoryBuilder(string workflowType, object? input, DateTimeOffset startedAt, bool firstTask = true)
    {
        _clock = startedAt;
        Append(EventType.WorkflowExecutionStarted, e => e.WorkflowExecutionStartedEventAttributes = new()
        {
            WorkflowType = new() { Name = workflowType },
            TaskQueue = new TaskQueue { Name = TaskQueue },
            Input = Payloads(input),
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            Attempt = 1,
            OriginalExecutionRunId = RunId,
            FirstExecutionRunId = RunId,
        });
        if (firstTask)
        {
            WorkflowTask();
        }
    }

    public static string RunId { get; } = Guid.NewGuid().ToString();

    /// <summary>When the next event happens; <see cref="After"/> moves it on.</summary>
    public DateTimeOffset Now => _clock;

    public HistoryBuilder After(TimeSpan elapsed)
    {
        _clock += elapsed;
        return this;
    }

    /// <summary>A workflow task is scheduled, picked up and completed; the commands it issued follow.</summary>
    public HistoryBuilder WorkflowTask()
    {
        var scheduled = Append(EventType.WorkflowTaskScheduled, e => e.WorkflowTaskScheduledEventAttributes = new()
        {
            TaskQueue = new TaskQueue { Name = TaskQueue },
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)),
            Attempt = 1,
        });
        var started = Append(EventType.WorkflowTaskStarted, e => e.WorkflowTaskStartedEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            Identity = "replay",
            RequestId = Guid.NewGuid().ToString(),
        });
        var first = _lastTaskCompleted == 0;
        _lastTaskCompleted = Append(EventType.WorkflowTaskCompleted, e =>
        {
            e.WorkflowTaskCompletedEventAttributes = new() { ScheduledEventId = scheduled, StartedEventId = started, Identity = "replay" };
            if (first)
            {
                // What the first task of a run by today's SDK records, and replay then holds the workflow to: core 1 checks
                // each scheduled activity's id and type, 2 upserts the patch search attribute, 3 orders terminal commands
                // last; .NET 1 (reorder completion) and 2 run the modern event loop. Without them the replay is lenient.
                e.WorkflowTaskCompletedEventAttributes.SdkMetadata = new WorkflowTaskCompletedMetadata
                {
                    CoreUsedFlags = { 1, 2, 3 },
                    LangUsedFlags = { 1, 2 },
                };
            }
        });
        return this;
    }

    /// <summary>The last workflow task scheduled <paramref name="activityType"/> (activity ids count 1, 2, … as the SDK assigns them).</summary>
    public HistoryBuilder ActivityScheduled(string activityType)
    {
        var activityId = (++_activitySeq).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _scheduledActivities[activityType] = Append(EventType.ActivityTaskScheduled, e => e.ActivityTaskScheduledEventAttributes = new()
        {
            ActivityId = activityId,
            ActivityType = new() { Name = activityType },
            TaskQueue = new TaskQueue { Name = TaskQueue },
            StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
            WorkflowTaskCompletedEventId = _lastTaskCompleted,
        });
        return this;
    }

    /// <summary><paramref name="activityType"/> ran (on attempt <paramref name="attempt"/>, after the earlier ones failed) and returned <paramref name="result"/>.</summary>
    public HistoryBuilder ActivityCompleted(string activityType, object? result, int attempt = 1)
    {
        var scheduled = _scheduledActivities[activityType];
        var started = ActivityStarted(scheduled, attempt);
        Append(EventType.ActivityTaskCompleted, e => e.ActivityTaskCompletedEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            StartedEventId = started,
            Result = Payloads(result),
            Identity = "replay",
        });
        return this;
    }

    /// <summary>The last workflow task scheduled <paramref name="activityType"/>, which returned <paramref name="result"/>; a task followed.</summary>
    public HistoryBuilder Runs(string activityType, object? result, int attempt = 1) =>
        ActivityScheduled(activityType).ActivityCompleted(activityType, result, attempt).WorkflowTask();

    /// <summary>A named run of steps, written once and used in several histories.</summary>
    public HistoryBuilder Then(Func<HistoryBuilder, HistoryBuilder> steps) => (steps ?? throw new ArgumentNullException(nameof(steps)))(this);

    /// <summary><paramref name="activityType"/> failed for good with an application error of <paramref name="errorType"/>.</summary>
    public HistoryBuilder ActivityFailed(string activityType, string errorType, bool nonRetryable = true, int attempt = 1)
    {
        var scheduled = _scheduledActivities[activityType];
        var started = ActivityStarted(scheduled, attempt);
        Append(EventType.ActivityTaskFailed, e => e.ActivityTaskFailedEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            StartedEventId = started,
            Failure = new Failure
            {
                Message = $"{activityType} failed: {errorType}",
                ApplicationFailureInfo = new ApplicationFailureInfo { Type = errorType, NonRetryable = nonRetryable },
            },
            RetryState = nonRetryable ? RetryState.NonRetryableFailure : RetryState.MaximumAttemptsReached,
            Identity = "replay",
        });
        return this;
    }

    /// <summary>The last workflow task asked to cancel <paramref name="activityType"/>.</summary>
    public HistoryBuilder ActivityCancelRequested(string activityType)
    {
        var scheduled = _scheduledActivities[activityType];
        Append(EventType.ActivityTaskCancelRequested, e => e.ActivityTaskCancelRequestedEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            WorkflowTaskCompletedEventId = _lastTaskCompleted,
        });
        return this;
    }

    /// <summary>The running <paramref name="activityType"/> saw the cancellation (through its heartbeat) and stopped.</summary>
    public HistoryBuilder ActivityCanceled(string activityType, int attempt = 1)
    {
        var scheduled = _scheduledActivities[activityType];
        var cancelRequested = _events.Last(e => e.EventType == EventType.ActivityTaskCancelRequested
            && e.ActivityTaskCancelRequestedEventAttributes.ScheduledEventId == scheduled).EventId;
        var started = ActivityStarted(scheduled, attempt);
        Append(EventType.ActivityTaskCanceled, e => e.ActivityTaskCanceledEventAttributes = new()
        {
            ScheduledEventId = scheduled,
            StartedEventId = started,
            LatestCancelRequestedEventId = cancelRequested,
            Identity = "replay",
        });
        return this;
    }

    /// <summary>The last workflow task started a timer (timer ids count 1, 2, … as the SDK assigns them).</summary>
    public HistoryBuilder TimerStarted(TimeSpan duration)
    {
        var timerId = (++_timerSeq).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _startedTimers[timerId] = Append(EventType.TimerStarted, e => e.TimerStartedEventAttributes = new()
        {
            TimerId = timerId,
            StartToFireTimeout = Duration.FromTimeSpan(duration),
            WorkflowTaskCompletedEventId = _lastTaskCompleted,
        });
        return this;
    }

    public HistoryBuilder TimerFired()
    {
        var (timerId, started) = EndTimer();
        Append(EventType.TimerFired, e => e.TimerFiredEventAttributes = new() { TimerId = timerId, StartedEventId = started });
        return this;
    }

    /// <summary>The last workflow task cancelled the running timer (its wait ended before the timeout).</summary>
    public HistoryBuilder TimerCanceled()
    {
        var (timerId, started) = EndTimer();
        Append(EventType.TimerCanceled, e => e.TimerCanceledEventAttributes = new()
        {
            TimerId = timerId, StartedEventId = started, WorkflowTaskCompletedEventId = _lastTaskCompleted, Identity = "replay",
        });
        return this;
    }

    /// <summary>The running timer (the last one started), which the next event ends.</summary>
    private KeyValuePair<string, long> EndTimer()
    {
        var timer = _startedTimers.Last();
        _startedTimers.Remove(timer.Key);
        return timer;
    }

    public HistoryBuilder Signaled(string signalName, params object?[] args)
    {
        Append(EventType.WorkflowExecutionSignaled, e => e.WorkflowExecutionSignaledEventAttributes = new()
        {
            SignalName = signalName,
            Input = Payloads(args),
            Identity = "replay",
        });
        return this;
    }

    /// <summary>Someone (an operator, the UI, a client) asked Temporal to cancel the workflow.</summary>
    public HistoryBuilder CancelRequested()
    {
        Append(EventType.WorkflowExecutionCancelRequested, e => e.WorkflowExecutionCancelRequestedEventAttributes = new()
        {
            Cause = "operator",
            Identity = "replay",
        });
        return this;
    }

    /// <summary>
    /// The last workflow task recorded <c>Workflow.Patched(patchId)</c> as taken: the core's patch marker, then (core
    /// flag 2) the <c>TemporalChangeVersion</c> search attribute naming the patch.
    /// </summary>
    public HistoryBuilder PatchMarker(string patchId)
    {
        Append(EventType.MarkerRecorded, e =>
        {
            e.MarkerRecordedEventAttributes = new() { MarkerName = "core_patch", WorkflowTaskCompletedEventId = _lastTaskCompleted };
            e.MarkerRecordedEventAttributes.Details.Add("patch-data", Payloads(new Dictionary<string, object> { ["id"] = patchId, ["deprecated"] = false }));
        });
        Append(EventType.UpsertWorkflowSearchAttributes, e =>
        {
            e.UpsertWorkflowSearchAttributesEventAttributes = new() { WorkflowTaskCompletedEventId = _lastTaskCompleted, SearchAttributes = new() };
            e.UpsertWorkflowSearchAttributesEventAttributes.SearchAttributes.IndexedFields.Add("TemporalChangeVersion", DataConverter.Default.PayloadConverter.ToPayload(new[] { patchId }));
        });
        return this;
    }

    public HistoryBuilder WorkflowCompleted(object? result)
    {
        Append(EventType.WorkflowExecutionCompleted, e => e.WorkflowExecutionCompletedEventAttributes = new()
        {
            Result = Payloads(result),
            WorkflowTaskCompletedEventId = _lastTaskCompleted,
        });
        return this;
    }

    public HistoryBuilder WorkflowFailed(string message)
    {
        Append(EventType.WorkflowExecutionFailed, e => e.WorkflowExecutionFailedEventAttributes = new()
        {
            Failure = new Failure { Message = message, ApplicationFailureInfo = new ApplicationFailureInfo() },
            WorkflowTaskCompletedEventId = _lastTaskCompleted,
            RetryState = RetryState.RetryPolicyNotSet,
        });
        return this;
    }

    public WorkflowHistory Build(string workflowId) => new(workflowId, [.. _events.Select(e => e.Clone())]);

    private long ActivityStarted(long scheduled, int attempt) => Append(EventType.ActivityTaskStarted, e => e.ActivityTaskStartedEventAttributes = new()
    {
        ScheduledEventId = scheduled,
        Attempt = attempt,
        Identity = "replay",
        RequestId = Guid.NewGuid().ToString(),
    });

    private long Append(EventType type, Action<HistoryEvent> attributes)
    {
        var e = new HistoryEvent { EventId = _events.Count + 1, EventType = type, EventTime = Timestamp.FromDateTimeOffset(_clock) };
        attributes(e);
        _events.Add(e);
        _clock += TimeSpan.FromMilliseconds(5);
        return e.EventId;
    }

    private static Payloads Payloads(params object?[] values) =>
        new() { Payloads_ = { values.Select(v => DataConverter.Default.PayloadConverter.ToPayload(v)) } };
}
