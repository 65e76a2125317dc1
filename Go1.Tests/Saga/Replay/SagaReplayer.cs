using Temporalio.Common;
using Temporalio.Worker;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace Go1.Tests.Saga.Replay;

/// <summary>
/// Replays a history through the real <see cref="OrderWorkflow"/> with no server. The replayer checks that the
/// workflow issues exactly the commands the history records; it does not compare results, so the replay also
/// captures what the run returned (or threw) and the options of every activity it scheduled.
/// </summary>
public static class SagaReplayer
{
    /// <summary>What one replay observed.</summary>
    public sealed record Run(OrderWorkflowState? Result, Exception? Failure, IReadOnlyList<(string Activity, ActivityOptions Options)> Scheduled)
    {
        public ActivityOptions OptionsOf(string activity) => Scheduled.Single(s => s.Activity == activity).Options;
    }

    public static async Task<Run> ReplayAsync(WorkflowHistory history)
    {
        var recorder = new Recorder();
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions
        {
            TaskQueue = HistoryBuilder.TaskQueue,
            Interceptors = [recorder],
        }.AddWorkflow<OrderWorkflow>());
        // A history the core cannot read can hang the replay instead of failing it: never wait for ever.
        await replayer.ReplayWorkflowAsync(history).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return new Run(recorder.Result, recorder.Failure, [.. recorder.Scheduled]);
    }

    private sealed class Recorder : IWorkerInterceptor
    {
        public OrderWorkflowState? Result { get; set; }

        public Exception? Failure { get; set; }

        public List<(string, ActivityOptions)> Scheduled { get; } = [];

        public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, this);
    }

    private sealed class Inbound(WorkflowInboundInterceptor next, Recorder recorder) : WorkflowInboundInterceptor(next)
    {
        public override void Init(WorkflowOutboundInterceptor outbound) => base.Init(new Outbound(outbound, recorder));

        public override async Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input)
        {
            try
            {
                var result = await base.ExecuteWorkflowAsync(input);
                recorder.Result = (OrderWorkflowState?)result;
                return result;
            }
            catch (Exception ex)
            {
                recorder.Failure = ex;
                throw;
            }
        }
    }

    private sealed class Outbound(WorkflowOutboundInterceptor next, Recorder recorder) : WorkflowOutboundInterceptor(next)
    {
        public override Task<TResult> ScheduleActivityAsync<TResult>(ScheduleActivityInput input)
        {
            recorder.Scheduled.Add((input.Activity, input.Options));
            return base.ScheduleActivityAsync<TResult>(input);
        }
    }
}
