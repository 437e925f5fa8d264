using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HostsWithErrorIndexPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_hosts_Approval_WithError",
                table: "hosts",
                column: "Approval",
                filter: "\"LastError\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_hosts_Approval_WithError",
                table: "hosts");
        }
    }
}
