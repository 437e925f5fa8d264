using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fleet.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Waves : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "EndedAt",
                table: "stage_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HaltReason",
                table: "stage_runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Size",
                table: "stage_runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "StartedAt",
                table: "stage_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StartsAt",
                table: "stage_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "State",
                table: "stage_runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "FailureThreshold",
                table: "invocations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HaltReason",
                table: "invocations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TargetRunTimeoutSeconds",
                table: "invocations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "WavePauseSeconds",
                table: "invocations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Waves",
                table: "invocations",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EndedAt",
                table: "stage_runs");

            migrationBuilder.DropColumn(
                name: "HaltReason",
                table: "stage_runs");

            migrationBuilder.DropColumn(
                name: "Size",
                table: "stage_runs");

            migrationBuilder.DropColumn(
                name: "StartedAt",
                table: "stage_runs");

            migrationBuilder.DropColumn(
                name: "StartsAt",
                table: "stage_runs");

            migrationBuilder.DropColumn(
                name: "State",
                table: "stage_runs");

            migrationBuilder.DropColumn(
                name: "FailureThreshold",
                table: "invocations");

            migrationBuilder.DropColumn(
                name: "HaltReason",
                table: "invocations");

            migrationBuilder.DropColumn(
                name: "TargetRunTimeoutSeconds",
                table: "invocations");

            migrationBuilder.DropColumn(
                name: "WavePauseSeconds",
                table: "invocations");

            migrationBuilder.DropColumn(
                name: "Waves",
                table: "invocations");
        }
    }
}
