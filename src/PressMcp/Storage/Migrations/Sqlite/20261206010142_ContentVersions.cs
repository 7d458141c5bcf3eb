using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PressMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContentVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The content version of each site (Storage/ContentVersion): raised in the writing transaction by every insert,
            // update or delete of the rows a search reads, whoever writes them, so a cached search answer is used only
            // while nothing it depends on has changed (Content/Search/SearchResultCache). A row per site, kept when the site
            // is deleted, so a site id used again continues its number instead of starting over at one.
            migrationBuilder.Sql("CREATE TABLE content_versions (site_id INTEGER NOT NULL PRIMARY KEY, value INTEGER NOT NULL);");
            migrationBuilder.Sql("INSERT INTO content_versions (site_id, value) SELECT id, 1 FROM sites;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_sites_insert AFTER INSERT ON sites BEGIN INSERT INTO content_versions (site_id, value) VALUES (new.id, 1) ON CONFLICT (site_id) DO UPDATE SET value = value + 1; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_insert AFTER INSERT ON posts BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = new.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_update AFTER UPDATE ON posts BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id IN (old.site_id, new.site_id); END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_posts_delete AFTER DELETE ON posts BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = old.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_insert AFTER INSERT ON post_terms BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = new.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_update AFTER UPDATE ON post_terms BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id IN (old.site_id, new.site_id); END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_terms_delete AFTER DELETE ON post_terms BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = old.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_insert AFTER INSERT ON post_meta BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = new.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_update AFTER UPDATE ON post_meta BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id IN (old.site_id, new.site_id); END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_post_meta_delete AFTER DELETE ON post_meta BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = old.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_insert AFTER INSERT ON terms BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = new.site_id; END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_update AFTER UPDATE ON terms BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id IN (old.site_id, new.site_id); END;");
            migrationBuilder.Sql("CREATE TRIGGER content_version_terms_delete AFTER DELETE ON terms BEGIN UPDATE content_versions SET value = value + 1 WHERE site_id = old.site_id; END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_insert;");
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_update;");
            migrationBuilder.Sql("DROP TRIGGER content_version_posts_delete;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_insert;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_update;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_terms_delete;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_insert;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_update;");
            migrationBuilder.Sql("DROP TRIGGER content_version_post_meta_delete;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_insert;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_update;");
            migrationBuilder.Sql("DROP TRIGGER content_version_terms_delete;");
            migrationBuilder.Sql("DROP TRIGGER content_version_sites_insert;");
            migrationBuilder.Sql("DROP TABLE content_versions;");
        }
    }
}
