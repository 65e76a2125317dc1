using Go1.Migrations;

return await SchemaMigration.RunAsync(args);
