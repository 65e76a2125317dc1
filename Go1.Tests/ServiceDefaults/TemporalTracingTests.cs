using Go1.Temporal;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Client;
using Temporalio.Client.Interceptors;
using Temporalio.Worker.Interceptors;

namespace Go1.Tests.ServiceDefaults;

/// <summary>Trace context crosses Temporal: into the headers when starting a workflow, out of them when running an activity.</summary>
public sealed class TemporalTracingTests : IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is TemporalTracingInterceptor.ActivitySourceName or "test",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public TemporalTracingTests() => ActivitySource.AddActivityListener(_listener);

    public void Dispose() => _listener.Dispose();

    private sealed class CapturingClient() : ClientOutboundInterceptor(null!)
    {
        public StartWorkflowInput? Started { get; private set; }

        public override Task<WorkflowHandle<TWorkflow, TResult>> StartWorkflowAsync<TWorkflow, TResult>(StartWorkflowInput input)
        {
            Started = input;
            return Task.FromResult<WorkflowHandle<TWorkflow, TResult>>(null!);
        }
    }

    private sealed class CapturingActivity() : ActivityInboundInterceptor(null!)
    {
        public Activity? Current { get; private set; }

        public override Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
        {
            Current = Activity.Current;
            return Task.FromResult<object?>(null);
        }
    }

    [Fact]
    public async Task Starting_a_workflow_puts_the_callers_trace_in_the_temporal_headers()
    {
        using var source = new ActivitySource("test");
        using var request = source.StartActivity("request")!;
        var next = new CapturingClient();

        await new TemporalTracingInterceptor().InterceptClient(next)
            .StartWorkflowAsync<object, object>(new StartWorkflowInput("OrderWorkflow", [], new WorkflowOptions("order-1", "q"), null));

        var context = TemporalTracingInterceptor.Extract(next.Started!.Headers!.AsReadOnly());
        Assert.Equal(request.TraceId, context!.Value.TraceId);
        Assert.NotEqual(request.SpanId, context.Value.SpanId); // the StartWorkflow span, a child of the request
    }

    [Fact]
    public async Task An_activity_runs_in_a_span_whose_parent_is_the_context_from_its_headers()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using (var carrier = new Activity("carrier").SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags).Start())
        {
            var headers = TemporalTracingInterceptor.Inject(null, carrier)!;
            carrier.Stop();
            var next = new CapturingActivity();
            var definition = ActivityDefinition.Create("AssignDriver", typeof(object), [], 0, _ => null!);

            await new TemporalTracingInterceptor().InterceptActivity(next)
                .ExecuteActivityAsync(new ExecuteActivityInput(definition, [], new Dictionary<string, Payload>(headers)));

            Assert.Equal("RunActivity:AssignDriver", next.Current!.DisplayName);
            Assert.Equal((parent.TraceId, carrier.SpanId), (next.Current.TraceId, next.Current.ParentSpanId));
        }
    }

    [Fact]
    public void Without_a_current_span_the_headers_are_left_alone_and_nothing_is_extracted()
    {
        Assert.Null(TemporalTracingInterceptor.Inject(null, null));
        Assert.Null(TemporalTracingInterceptor.Extract(new Dictionary<string, Payload>()));
    }
}
