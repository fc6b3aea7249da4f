using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Heron.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class KeyExpiryNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MaxKeyLifetimeDays",
                table: "Realms",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ExpiryNotices",
                table: "ApiKeys",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ExpiresAt",
                table: "ApiKeys",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ExpiresAt",
                table: "ApiKeys");

            migrationBuilder.DropColumn(
                name: "MaxKeyLifetimeDays",
                table: "Realms");

            migrationBuilder.DropColumn(
                name: "ExpiryNotices",
                table: "ApiKeys");
        }
    }
}
