using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TargetRunChangesIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_target_runs_InvocationId_UpdatedAt",
                table: "target_runs",
                columns: new[] { "InvocationId", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_target_runs_InvocationId_UpdatedAt",
                table: "target_runs");
        }
    }
}
