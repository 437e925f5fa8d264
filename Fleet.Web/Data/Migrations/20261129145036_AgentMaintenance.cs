using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AgentMaintenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agent_invocations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    InstanceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstanceKind = table.Column<int>(type: "INTEGER", nullable: false),
                    InstanceName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    RunsOnHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    VersionBefore = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TargetVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    VersionAfter = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    EngineInvocationId = table.Column<long>(type: "INTEGER", nullable: true),
                    TargetRunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EnrolledHostId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RunSucceeded = table.Column<bool>(type: "INTEGER", nullable: false),
                    RetryOf = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RollbackOf = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RolledBackBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agent_invocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "install_tickets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AgentInvocationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UsedByHostId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_install_tickets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "remote_installer",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DesignatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DesignatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_installer", x => x.Id);
                    table.ForeignKey(
                        name: "FK_remote_installer_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "remote_machines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SealedCredential = table.Column<string>(type: "TEXT", nullable: true),
                    UsePem = table.Column<bool>(type: "INTEGER", nullable: false),
                    InstallerHostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnrolledHostId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CredentialErasedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_machines", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_CreatedAt",
                table: "agent_invocations",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_EngineInvocationId",
                table: "agent_invocations",
                column: "EngineInvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_EnrolledHostId",
                table: "agent_invocations",
                column: "EnrolledHostId");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_InstanceId",
                table: "agent_invocations",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_agent_invocations_Status",
                table: "agent_invocations",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_install_tickets_AgentInvocationId",
                table: "install_tickets",
                column: "AgentInvocationId");

            migrationBuilder.CreateIndex(
                name: "IX_install_tickets_TokenHash",
                table: "install_tickets",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_remote_installer_HostId",
                table: "remote_installer",
                column: "HostId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agent_invocations");

            migrationBuilder.DropTable(
                name: "install_tickets");

            migrationBuilder.DropTable(
                name: "remote_installer");

            migrationBuilder.DropTable(
                name: "remote_machines");
        }
    }
}
