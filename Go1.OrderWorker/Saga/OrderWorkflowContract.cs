namespace Go1.OrderWorker.Saga;

/// <summary>The names every recorded workflow history carries: renaming one breaks the replay of orders in flight.</summary>
public static class OrderWorkflowContract
{
    public const string WorkflowType = "OrderWorkflow";
    public const string DefaultTaskQueue = "go1-orders";
    public const string OrderDispatchedSignal = "OrderDispatched";
    public const string OrderDeliveredSignal = "OrderDelivered";
    public const string OrderCanceledSignal = "OrderCanceled";
}
