using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrustIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AgentAddress",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AgentBootId",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DuplicateDetail",
                table: "hosts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DuplicateSeenAt",
                table: "hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OfflineSince",
                table: "hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SecretIssuedAt",
                table: "hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SecretRevokedAt",
                table: "hosts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "enrollment_tokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enrollment_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "reenrolment_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Hostname = table.Column<string>(type: "TEXT", nullable: false),
                    RemoteAddress = table.Column<string>(type: "TEXT", nullable: true),
                    BootId = table.Column<string>(type: "TEXT", nullable: true),
                    CurrentAgentAddress = table.Column<string>(type: "TEXT", nullable: true),
                    CurrentAgentBootId = table.Column<string>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastRequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reenrolment_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_reenrolment_requests_hosts_HostId",
                        column: x => x.HostId,
                        principalTable: "hosts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_enrollment_tokens_CreatedAt",
                table: "enrollment_tokens",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_reenrolment_requests_HostId_Status",
                table: "reenrolment_requests",
                columns: new[] { "HostId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "enrollment_tokens");

            migrationBuilder.DropTable(
                name: "reenrolment_requests");

            migrationBuilder.DropColumn(
                name: "AgentAddress",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "AgentBootId",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "DuplicateDetail",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "DuplicateSeenAt",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "OfflineSince",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "SecretIssuedAt",
                table: "hosts");

            migrationBuilder.DropColumn(
                name: "SecretRevokedAt",
                table: "hosts");
        }
    }
}
