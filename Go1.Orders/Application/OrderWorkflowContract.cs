namespace Go1.Orders.Application;

/// <summary>Names shared by whoever starts and signals the order workflow and the workflow itself.</summary>
public static class OrderWorkflowContract
{
    public const string WorkflowType = "OrderWorkflow";
    public const string DefaultTaskQueue = "go1-orders";
    public const string OrderDispatchedSignal = "OrderDispatched";
    public const string OrderDeliveredSignal = "OrderDelivered";
    public const string OrderCanceledSignal = "OrderCanceled";
}
