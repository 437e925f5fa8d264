using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class HeadlessOperations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Location",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Manufacturer",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Model",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SerialNumber",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "headless_operations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    ParametersJson = table.Column<string>(type: "TEXT", nullable: false),
                    ScheduleType = table.Column<int>(type: "INTEGER", nullable: false),
                    ScheduledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MaxAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RetryDelayMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    NotifyOnCompletion = table.Column<bool>(type: "INTEGER", nullable: false),
                    NotifyOnFailure = table.Column<bool>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    WebhookUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    ListUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    NextExecution = table.Column<long>(type: "INTEGER", nullable: true),
                    Occurrences = table.Column<int>(type: "INTEGER", nullable: false),
                    LastStartedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "installation_secrets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_installation_secrets", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_devices",
                columns: table => new
                {
                    OperationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeviceName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_devices", x => new { x.OperationId, x.Position });
                    table.ForeignKey(
                        name: "FK_headless_operation_devices_headless_operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_headless_operation_devices_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OperationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Occurrence = table.Column<int>(type: "INTEGER", nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Succeeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Reply = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_headless_operation_notifications_headless_operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "headless_operation_runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OperationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Occurrence = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    InvocationId = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_headless_operation_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_headless_operation_runs_headless_operations_OperationId",
                        column: x => x.OperationId,
                        principalTable: "headless_operations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_headless_operation_runs_invocations_InvocationId",
                        column: x => x.InvocationId,
                        principalTable: "invocations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_devices_HostId",
                table: "headless_operation_devices",
                column: "HostId");

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_notifications_OperationId_Occurrence",
                table: "headless_operation_notifications",
                columns: new[] { "OperationId", "Occurrence" });

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_runs_InvocationId",
                table: "headless_operation_runs",
                column: "InvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_headless_operation_runs_OperationId_Occurrence_Attempt",
                table: "headless_operation_runs",
                columns: new[] { "OperationId", "Occurrence", "Attempt" });

            migrationBuilder.CreateIndex(
                name: "IX_headless_operations_State",
                table: "headless_operations",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "headless_operation_devices");

            migrationBuilder.DropTable(
                name: "headless_operation_notifications");

            migrationBuilder.DropTable(
                name: "headless_operation_runs");

            migrationBuilder.DropTable(
                name: "installation_secrets");

            migrationBuilder.DropTable(
                name: "headless_operations");

            migrationBuilder.DropColumn(
                name: "Location",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Manufacturer",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "Model",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "SerialNumber",
                table: "hosts");
        }
    }
}
