using System.Diagnostics.Metrics;
using Go1.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Go1.OrderWorker.Saga;

/// <summary>
/// Finds orders the saga lost: every <see cref="OrderSagaReconcilerOptions.Interval"/>, each order that is not final
/// and older than the grace period is checked against Temporal. One without a workflow (Temporal lost its state, or
/// the start never happened) gets its saga started from where the order stands; one whose workflow has closed while
/// the order is still open is stranded: counted and logged for an operator, never restarted blindly. Safe with
/// several replicas: a start is idempotent.
/// </summary>
public sealed partial class OrderSagaReconciler : PeriodicSweep
{
    public const string MeterName = "Go1.Saga.Reconciler";

    private readonly IOpenOrders _orders;
    private readonly IOrderWorkflows _workflows;
    private readonly OrderSagaReconcilerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<OrderSagaReconciler> _logger;
    private readonly Counter<long> _started;
    private long _stranded;

    public OrderSagaReconciler(IOpenOrders orders, IOrderWorkflows workflows, IOptions<OrderSagaReconcilerOptions> options, TimeProvider clock,
        IMeterFactory meterFactory, ILogger<OrderSagaReconciler> logger)
        : base((options ?? throw new ArgumentNullException(nameof(options))).Value.Interval, clock, logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _orders = orders;
        _workflows = workflows;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        _started = meter.CreateCounter<long>("go1.saga.reconciler.started", "{order}", "Sagas the reconciler started for open orders that had no workflow.");
        meter.CreateObservableGauge("go1.saga.reconciler.stranded", () => Interlocked.Read(ref _stranded), "{order}",
            "Open orders whose workflow has closed, as of the last sweep: they need an operator.");
    }

    protected override string Name => "saga reconciler";

    protected override Task SweepOnceAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>One pass over the open orders; returns how many sagas it started and how many orders it found stranded.</summary>
    public async Task<(int Started, int Stranded)> SweepAsync(CancellationToken cancellationToken)
    {
        var createdBefore = _clock.GetUtcNow() - _options.Grace;
        var (started, stranded) = (0, 0);
        Guid? after = null;
        while (true)
        {
            var batch = await _orders.ListAsync(createdBefore, after, _options.BatchSize, cancellationToken);
            foreach (var order in batch)
            {
                switch (await _workflows.StatusAsync(order.Id, cancellationToken))
                {
                    case SagaRunStatus.None:
                        await _workflows.StartAsync(OrderCreated.For(order, Guid.CreateVersion7()), OrderProgress.Of(order), cancellationToken);
                        _started.Add(1);
                        started++;
                        LogStarted(_logger, order.Id, OrderProgress.Of(order).Status);
                        break;
                    case SagaRunStatus.Running:
                        break;
                    case var closed:
                        stranded++;
                        LogStranded(_logger, order.Id, OrderProgress.Of(order).Status, closed);
                        break;
                }
            }

            if (batch.Count < _options.BatchSize)
            {
                break;
            }

            after = batch[^1].Id;
        }

        Interlocked.Exchange(ref _stranded, stranded);
        return (started, stranded);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} ({Status}) had no workflow: its saga was started again from there.")]
    private static partial void LogStarted(ILogger logger, Guid orderId, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} is still {Status} but its workflow has ended ({WorkflowStatus}): an operator must finish or cancel it.")]
    private static partial void LogStranded(ILogger logger, Guid orderId, string status, SagaRunStatus workflowStatus);
}
