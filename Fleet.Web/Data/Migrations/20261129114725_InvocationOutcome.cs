using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InvocationOutcome : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StatusLabel",
                table: "invocations");

            migrationBuilder.RenameColumn(
                name: "StatusCode",
                table: "invocations",
                newName: "Outcome");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Outcome",
                table: "invocations",
                newName: "StatusCode");

            migrationBuilder.AddColumn<string>(
                name: "StatusLabel",
                table: "invocations",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }
    }
}
