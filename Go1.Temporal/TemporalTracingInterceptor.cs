using System.Diagnostics;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Converters;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace Go1.Temporal;

/// <summary>
/// W3C trace context through Temporal (Temporalio.Extensions.OpenTelemetry is not served here): starting or
/// signalling a workflow puts <c>traceparent</c> in the Temporal headers; a workflow hands the context of its
/// start — or of the latest signal, so a step triggered by a dispatch event joins that event's trace — to the
/// activities it schedules; an activity runs in a span whose parent is that context. The workflow side only
/// copies headers, so it stays deterministic. Registered on the client, it applies to the worker too.
/// </summary>
public sealed class TemporalTracingInterceptor : IClientInterceptor, IWorkerInterceptor
{
    public const string ActivitySourceName = "Go1.Temporal";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    public ClientOutboundInterceptor InterceptClient(ClientOutboundInterceptor nextInterceptor) => new ClientOutbound(nextInterceptor);

    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) => new WorkflowInbound(nextInterceptor);

    public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new ActivityInbound(nextInterceptor);

    /// <summary>The headers plus the current trace context (unchanged when there is none).</summary>
    public static IDictionary<string, Payload>? Inject(IDictionary<string, Payload>? headers, Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || activity.Id is null)
        {
            return headers;
        }

        var result = headers is null ? new Dictionary<string, Payload>() : new Dictionary<string, Payload>(headers);
        result[TraceParentHeader] = DataConverter.Default.PayloadConverter.ToPayload(activity.Id);
        if (activity.TraceStateString is { } state)
        {
            result[TraceStateHeader] = DataConverter.Default.PayloadConverter.ToPayload(state);
        }

        return result;
    }

    /// <summary>The trace context the headers carry, if any.</summary>
    public static ActivityContext? Extract(IReadOnlyDictionary<string, Payload>? headers)
    {
        if (headers is null || !headers.TryGetValue(TraceParentHeader, out var parent))
        {
            return null;
        }

        var state = headers.TryGetValue(TraceStateHeader, out var s) ? DataConverter.Default.PayloadConverter.ToValue<string>(s) : null;
        return ActivityContext.TryParse(DataConverter.Default.PayloadConverter.ToValue<string>(parent), state, isRemote: true, out var context) ? context : null;
    }

    private static Dictionary<string, Payload>? TraceHeaders(IReadOnlyDictionary<string, Payload>? headers) =>
        headers is not null && headers.ContainsKey(TraceParentHeader)
            ? headers.Where(h => h.Key is TraceParentHeader or TraceStateHeader).ToDictionary(h => h.Key, h => h.Value)
            : null;

    private sealed class ClientOutbound(ClientOutboundInterceptor next) : ClientOutboundInterceptor(next)
    {
        public override async Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
        {
            using var activity = Source.StartActivity($"StartWorkflow:{input.Workflow}", ActivityKind.Producer);
            activity?.SetTag("temporal.workflow.id", input.Options.Id);
            return await base.StartWorkflowAsync<TWorkflow, TResult>(input with { Headers = Inject(input.Headers, Activity.Current) });
        }

        public override async Task SignalWorkflowAsync(SignalWorkflowInput input)
        {
            using var activity = Source.StartActivity($"SignalWorkflow:{input.Signal}", ActivityKind.Producer);
            activity?.SetTag("temporal.workflow.id", input.Id);
            await base.SignalWorkflowAsync(input with { Headers = Inject(input.Headers, Activity.Current) });
        }
    }

    private sealed class WorkflowInbound(WorkflowInboundInterceptor next) : WorkflowInboundInterceptor(next)
    {
        /// <summary>Trace headers for the activities scheduled from now on: the start's, then the latest signal's.</summary>
        public Dictionary<string, Payload>? Trace { get; private set; }

        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new WorkflowOutbound(outbound, this));

        public override Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            Trace ??= TraceHeaders(Workflow.Info.Headers);
            return base.ExecuteWorkflowAsync(input);
        }

        public override Task HandleSignalAsync(HandleSignalInput input)
        {
            Trace = TraceHeaders(input.Headers) ?? Trace;
            return base.HandleSignalAsync(input);
        }
    }

    private sealed class WorkflowOutbound(WorkflowOutboundInterceptor next, WorkflowInbound inbound) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            if (inbound.Trace is not { } trace)
            {
                return base.ScheduleActivityAsync<TResult>(input);
            }

            var headers = input.Headers is null ? new Dictionary<string, Payload>() : new Dictionary<string, Payload>(input.Headers);
            foreach (var (key, value) in trace)
            {
                headers[key] = value;
            }

            return base.ScheduleActivityAsync<TResult>(input with { Headers = headers });
        }
    }

    private sealed class ActivityInbound(ActivityInboundInterceptor next) : ActivityInboundInterceptor(next)
    {
        public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            using var activity = Source.StartActivity($"RunActivity:{input.Activity.Name}", ActivityKind.Server, Extract(input.Headers) ?? default);
            if (activity is not null && ActivityExecutionContext.HasCurrent)
            {
                activity.SetTag("temporal.workflow.id", ActivityExecutionContext.Current.Info.WorkflowId);
                activity.SetTag("temporal.activity.attempt", ActivityExecutionContext.Current.Info.Attempt);
            }

            try
            {
                return await base.ExecuteActivityAsync(input);
            }
            catch (Exception ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                throw;
            }
        }
    }
}
