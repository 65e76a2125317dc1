using Go1.OrderApi;

if (args is [MigrateCommand.Name, ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("go1");
builder.AddRedisClient("redis");
builder.AddKafkaProducer<string, byte[]>("kafka");

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunAsync();
return 0;
