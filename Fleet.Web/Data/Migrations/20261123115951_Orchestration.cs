using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Orchestration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChildrenReportedAt",
                table: "hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HasContainerEngine",
                table: "hosts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "child_hosts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParentHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_child_hosts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_child_hosts_hosts_ParentHostId",
                        column: x => x.ParentHostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reboot_orchestrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParentHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ShutdownTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    ReconnectTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    InitiatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    InitiatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ShutdownCompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RebootIssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RebootInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    AgentReconnectedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RestartCompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FailedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reboot_orchestrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_reboot_orchestrations_hosts_ParentHostId",
                        column: x => x.ParentHostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reboot_orchestration_children",
                columns: table => new
                {
                    ChildId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrchestrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", nullable: false),
                    PreRebootStatus = table.Column<string>(type: "TEXT", nullable: false),
                    StopStatus = table.Column<string>(type: "TEXT", nullable: false),
                    StopInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    RestartStatus = table.Column<string>(type: "TEXT", nullable: false),
                    StartInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reboot_orchestration_children", x => new { x.OrchestrationId, x.ChildId });
                    table.ForeignKey(
                        name: "FK_reboot_orchestration_children_reboot_orchestrations_OrchestrationId",
                        column: x => x.OrchestrationId,
                        principalTable: "reboot_orchestrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_child_hosts_ParentHostId_Type_Name",
                table: "child_hosts",
                columns: new[] { "ParentHostId", "Type", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_reboot_orchestrations_ParentHostId_Status",
                table: "reboot_orchestrations",
                columns: new[] { "ParentHostId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_reboot_orchestrations_Status",
                table: "reboot_orchestrations",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "child_hosts");

            migrationBuilder.DropTable(
                name: "reboot_orchestration_children");

            migrationBuilder.DropTable(
                name: "reboot_orchestrations");

            migrationBuilder.DropColumn(
                name: "ChildrenReportedAt",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "HasContainerEngine",
                table: "hosts");
        }
    }
}
