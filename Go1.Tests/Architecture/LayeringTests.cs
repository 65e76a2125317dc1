using Go1.CdcSync;
using Go1.OrderWorker;
using NetArchTest.Rules;

namespace Go1.Tests.Architecture;

/// <summary>Dependencies point inward: Domain knows nothing, Application knows Domain, only Infrastructure knows databases.</summary>
public sealed class LayeringTests
{
    private static readonly System.Reflection.Assembly Orders = typeof(RideOrder).Assembly;

    private static string Describe(NetArchTest.Rules.TestResult result) =>
        result.IsSuccessful ? string.Empty : "offending types: " + string.Join(", ", result.FailingTypeNames ?? []);

    [Fact]
    public void Domain_depends_on_no_other_layer_and_no_infrastructure_library()
    {
        var types = Types.InAssembly(Orders).That().ResideInNamespace("Go1.Orders.Domain");
        Assert.NotEmpty(types.GetTypes());

        var result = types.ShouldNot().HaveDependencyOnAny(
            "Go1.Orders.Application", "Go1.Orders.Infrastructure", "Npgsql", "Dapper", "DbUp", "Microsoft.AspNetCore", "Microsoft.Extensions").GetResult();

        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void Application_depends_on_domain_but_not_on_infrastructure()
    {
        var types = Types.InAssembly(Orders).That().ResideInNamespace("Go1.Orders.Application");
        Assert.NotEmpty(types.GetTypes());

        var result = types.ShouldNot().HaveDependencyOnAny("Go1.Orders.Infrastructure", "Npgsql", "Dapper", "DbUp", "Microsoft.AspNetCore").GetResult();

        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void Infrastructure_implements_the_application_ports()
    {
        var ports = Types.InAssembly(Orders).That().ResideInNamespace("Go1.Orders.Application.Ports").And().AreInterfaces().GetTypes().ToList();
        var implementations = Types.InAssembly(Orders).That().ResideInNamespace("Go1.Orders.Infrastructure").GetTypes().ToList();

        Assert.NotEmpty(ports);
        Assert.All(ports, port => Assert.Contains(implementations, t => port.IsAssignableFrom(t)));
    }

    [Fact]
    public void Services_reach_the_core_through_its_entry_point_and_application_types_except_their_own_database_adapters()
    {
        foreach (var service in new[] { typeof(OrderApiService), typeof(OrderWorkerService), typeof(CdcSyncService) })
        {
            var result = Types.InAssembly(service.Assembly).That().DoNotHaveName("MigrateCommand").And().DoNotHaveNameStartingWith("Postgres")
                .ShouldNot().HaveDependencyOn("Go1.Orders.Infrastructure").GetResult();
            Assert.True(result.IsSuccessful, $"{service.Assembly.GetName().Name}: {Describe(result)}");
        }
    }

    [Fact]
    public void The_order_workflow_does_no_io_of_its_own()
    {
        // Replay re-runs the workflow's code: any I/O in it would run again, and differently. I/O belongs in the activities.
        var workflow = Types.InAssembly(typeof(OrderWorkflow).Assembly).That().HaveNameMatching($"^({nameof(OrderWorkflow)}|{nameof(Compensations)})$");
        Assert.Equal(2, workflow.GetTypes().Count());

        var result = workflow.ShouldNot().HaveDependencyOnAny("Npgsql", "Dapper", "StackExchange.Redis", "Confluent.Kafka", "System.Net.Http", "System.IO", "Go1.Orders.Infrastructure")
            .GetResult();

        Assert.True(result.IsSuccessful, Describe(result));
    }
}
