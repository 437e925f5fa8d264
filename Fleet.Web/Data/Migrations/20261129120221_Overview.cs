using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Overview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FullestPercent",
                table: "inventory_sections",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "fleet_samples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Online = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fleet_samples", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_fleet_samples_At",
                table: "fleet_samples",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fleet_samples");

            migrationBuilder.DropColumn(
                name: "FullestPercent",
                table: "inventory_sections");
        }
    }
}
