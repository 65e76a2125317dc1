using Go1.Orders;
using Go1.OrderWorker.Messaging;
using Go1.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(ConnectionNames.Database);
builder.AddTemporalClient(ConnectionNames.Temporal);
builder.Services.AddOrdersModule(builder.Configuration);
builder.AddOrderSaga();
builder.AddOrderEventConsumers();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
